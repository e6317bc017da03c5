import { beforeAll, describe, expect, it } from 'vitest'
import { ChainValidator } from '../../src/crypto/chain/chain-validator.js'
import { CHAIN_FAULTS, makePki, type Pki } from '../fixtures/pki.js'

let pki: Pki
beforeAll(async () => {
  pki = await makePki('es256')
})

describe('configuration', () => {
  const certInvalid = expect.objectContaining({ code: 'ERR_FEDMSG_CERT_INVALID' })
  const crlInvalid = expect.objectContaining({ code: 'ERR_FEDMSG_CRL_INVALID' })

  it.each([
    { name: 'no anchors', anchors: () => [] },
    {
      name: 'an anchor that is not DER',
      anchors: () => [Buffer.from('-----BEGIN CERTIFICATE-----')],
    },
    { name: 'a leaf as anchor', anchors: () => [pki.leaf.der] },
  ])('$name → CertInvalid', ({ anchors }) => {
    expect(() => new ChainValidator({ trustAnchors: anchors() })).toThrow(certInvalid)
  })

  it('a CA anchor without keyCertSign → CertInvalid', async () => {
    const fault = CHAIN_FAULTS.find((f) => f.name === 'intermediateWithoutKeyCertSign')!
    const { x5c } = await fault.build(pki)
    expect(() => new ChainValidator({ trustAnchors: [x5c[1]!] })).toThrow(certInvalid)
  })

  it('a CRL that is not DER → CrlInvalid', () => {
    expect(
      () => new ChainValidator({ trustAnchors: pki.anchors, crls: [Buffer.from('nope')] }),
    ).toThrow(crlInvalid)
  })

  it.each([
    { name: 'maxChainLength 0', options: { maxChainLength: 0 } },
    { name: 'maxChainLength 1.5', options: { maxChainLength: 1.5 } },
    { name: 'cacheSize -1', options: { cacheSize: -1 } },
  ])('$name → TypeError', ({ options }) => {
    expect(() => new ChainValidator({ trustAnchors: pki.anchors, ...options })).toThrow(TypeError)
  })

  it.each([
    { name: 'now NaN', at: { now: NaN, timestamp: 0, skewMs: 0 } },
    { name: 'timestamp Infinity', at: { now: Date.now(), timestamp: Infinity, skewMs: 0 } },
    { name: 'skewMs undefined', at: { now: Date.now(), timestamp: Date.now() } },
  ])('validate with $name → TypeError', ({ at }) => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors })
    expect(() => validator.validate(pki.chain, at as never)).toThrow(TypeError)
  })
})
