import { X509Certificate as NodeCertificate } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ChainValidator } from '../../src/crypto/chain/chain-validator.js'
import {
  CHAIN_FAULTS,
  DAY,
  forgedLeafSignature,
  makePki,
  revokedLeaf,
  type ChainFixture,
  type Pki,
} from '../fixtures/pki.js'
import { instant, reasonOf, validatorFor } from './chain-check.js'

let pki: Pki
beforeAll(async () => {
  pki = await makePki('es256')
})

afterEach(() => {
  vi.restoreAllMocks()
})

const validChainOf = (crls: readonly Uint8Array[] = []): ChainFixture => ({
  leaf: pki.leaf,
  x5c: pki.chain,
  anchors: pki.anchors,
  crls,
})

describe('verdict cache', () => {
  const verifySpy = () => vi.spyOn(NodeCertificate.prototype, 'verify')

  it('a warm call verifies no signature', () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors })
    const spy = verifySpy()
    validator.validate(pki.chain, instant())
    const cold = spy.mock.calls.length
    expect(cold).toBeGreaterThan(0)
    validator.validate(pki.chain, instant())
    expect(spy.mock.calls.length).toBe(cold)
  })

  it('a warm call still catches expiry when the clock moves on', () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors })
    validator.validate(pki.chain, instant())
    const later = pki.leaf.certificate.notAfter.getTime() + 1
    expect(reasonOf(() => validator.validate(pki.chain, instant(later)))).toBe('cert_expired')
  })

  it('a warm call catches a CRL that passed its nextUpdate', async () => {
    const validator = validatorFor(validChainOf(pki.crls))
    validator.validate(pki.chain, instant())
    expect(reasonOf(() => validator.validate(pki.chain, instant(Date.now() + 8 * DAY)))).toBe(
      'crl_unavailable',
    )
  })

  it('setCrls revokes a remembered chain and un-revokes it again', async () => {
    const revoked = await revokedLeaf(pki)
    const validator = new ChainValidator({ trustAnchors: pki.anchors, crls: pki.crls })
    validator.validate(pki.chain, instant())
    validator.setCrls(revoked.crls)
    expect(reasonOf(() => validator.validate(pki.chain, instant()))).toBe('revoked')
    validator.setCrls(pki.crls)
    expect(reasonOf(() => validator.validate(pki.chain, instant()))).toBe('accepted')
  })

  it('setCrls with an unusable CRL throws CrlInvalid and keeps the old set', async () => {
    const revoked = await revokedLeaf(pki)
    const validator = validatorFor(revoked)
    expect(() => validator.setCrls([pki.rootCrl, Buffer.from('not a CRL')])).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CRL_INVALID' }),
    )
    expect(reasonOf(() => validator.validate(pki.chain, instant()))).toBe('revoked')
  })

  it('a refused chain is remembered by its SHA-256: the same bytes again cost no signature check', async () => {
    const forged = await CHAIN_FAULTS.find((f) => f.name === 'forgedLeafSignature')!.build(pki)
    const validator = validatorFor(forged)
    const spy = verifySpy()
    expect(reasonOf(() => validator.validate(forged.x5c, instant()))).toBe('untrusted_chain')
    const first = spy.mock.calls.length
    expect(first).toBeGreaterThan(0)
    expect(reasonOf(() => validator.validate(forged.x5c, instant()))).toBe('untrusted_chain')
    expect(spy.mock.calls.length).toBe(first)
    expect(validator.cacheSizes()).toEqual({ verified: 0, rejected: 1 })
  })

  it('a remembered refusal never touches another chain: the genuine chain, and a copy one byte apart, are judged afresh', async () => {
    const forged = await CHAIN_FAULTS.find((f) => f.name === 'forgedLeafSignature')!.build(pki)
    const validator = validatorFor(forged)
    expect(reasonOf(() => validator.validate(forged.x5c, instant()))).toBe('untrusted_chain')
    const leaf = Buffer.from(forged.x5c[0]!)
    leaf[leaf.length - 1]! ^= 1
    const spy = verifySpy()
    expect(reasonOf(() => validator.validate([leaf, ...forged.x5c.slice(1)], instant()))).toBe(
      'untrusted_chain',
    )
    expect(spy.mock.calls.length).toBeGreaterThan(0)
    expect(reasonOf(() => validator.validate(pki.chain, instant()))).toBe('accepted')
  })

  it('refused chains are bounded too: with cacheSize 1 the older one is forgotten', async () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors, cacheSize: 1 })
    const refused = [[pki.root.der], [pki.intermediate.der]]
    expect(refused.map((x5c) => reasonOf(() => validator.validate(x5c, instant())))).toEqual([
      'untrusted_chain',
      'bad_cert_usage',
    ])
    expect(validator.cacheSizes().rejected).toBe(1)
  })

  it('the cache is bounded: with cacheSize 1 two chains evict each other', () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors, cacheSize: 1 })
    const other = [pki.otherLeaf.der, pki.intermediate.der]
    const spy = verifySpy()
    validator.validate(pki.chain, instant())
    validator.validate(other, instant())
    const twoColdCalls = spy.mock.calls.length
    validator.validate(other, instant())
    expect(spy.mock.calls.length).toBe(twoColdCalls)
    validator.validate(pki.chain, instant())
    expect(spy.mock.calls.length).toBeGreaterThan(twoColdCalls)
  })

  it('cacheSize 0 remembers nothing', () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors, cacheSize: 0 })
    const spy = verifySpy()
    validator.validate(pki.chain, instant())
    const cold = spy.mock.calls.length
    validator.validate(pki.chain, instant())
    expect(spy.mock.calls.length).toBe(2 * cold)
  })
})

describe('remembered issuer parses', () => {
  it('a forged leaf under a remembered intermediate is still untrusted_chain; a genuine new leaf is accepted', async () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors })
    validator.validate(pki.chain, instant()) // remembers the intermediate's parse
    const forged = await forgedLeafSignature(pki)
    expect(forged.x5c[1]).toEqual(pki.chain[1])
    expect(reasonOf(() => validator.validate(forged.x5c, instant()))).toBe('untrusted_chain')
    const otherLeaf = [pki.otherLeaf.der, pki.chain[1]!]
    expect(validator.validate(otherLeaf, instant()).signer.name).toBe('koji')
  })

  it('an intermediate of other bytes (one byte changed) is parsed and judged afresh', () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors })
    validator.validate(pki.chain, instant())
    const altered = Buffer.from(pki.chain[1]!)
    altered[altered.length - 1]! ^= 0x01
    expect(reasonOf(() => validator.validate([pki.otherLeaf.der, altered], instant()))).toBe(
      'untrusted_chain',
    )
  })
})
