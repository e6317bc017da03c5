import { createHash, createPublicKey } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildCertificate, createServiceCertificate } from '../../src/ca/certificate-factory.js'
import type { KeyAlgorithm } from '../../src/ca/key-pair.js'
import { ChainValidator, type ValidatedChain } from '../../src/crypto/chain/chain-validator.js'
import { x509 } from '../../src/crypto/x509.js'
import { certWith } from '../fixtures/issue-certificates.js'
import {
  CHAIN_FAULTS,
  CHAIN_VALID,
  DAY,
  crlOf,
  crlSignedByOtherKey,
  deepChain,
  expiredNow,
  issued,
  makePki,
  notYetValidNow,
  spareKey,
  validNow,
  type ChainFixture,
  type Pki,
} from '../fixtures/pki.js'
import { SKEW, check, instant, reasonOf } from './chain-check.js'

let pki: Pki
beforeAll(async () => {
  pki = await makePki('es256')
})

const validChainOf = (crls: readonly Uint8Array[] = []): ChainFixture => ({
  leaf: pki.leaf,
  x5c: pki.chain,
  anchors: pki.anchors,
  crls,
})

const chainOf = (leaf: ChainFixture['leaf']): ChainFixture => ({
  leaf,
  x5c: [leaf.der, pki.intermediate.der],
  anchors: pki.anchors,
  crls: [],
})

describe.each<KeyAlgorithm>(['es256', 'ed25519', 'rsa2048'])('valid %s chains', (alg) => {
  let algPki: Pki
  beforeAll(async () => {
    algPki = await makePki(alg)
  })

  it.each(CHAIN_VALID)('$name is accepted', async ({ build }) => {
    expect(check(await build(algPki))).toBe('accepted')
  })

  it('names the signer from the leaf and returns its public key', () => {
    const validator = new ChainValidator({ trustAnchors: algPki.anchors })
    const { leafKey, signer }: ValidatedChain = validator.validate(algPki.chain, instant())
    const leaf = algPki.leaf.certificate
    expect(signer).toEqual({
      name: 'bodhi',
      serial: BigInt(`0x${leaf.serialNumber}`).toString(16),
      fingerprint: createHash('sha256').update(algPki.leaf.der).digest('hex'),
      issuer: 'CN=Fedmsg Test Intermediate',
    })
    expect(leafKey.type).toBe('public')
    expect(leafKey.equals(createPublicKey(algPki.leafKey))).toBe(true)
  })

  it.each(['revokedLeaf', 'revokedIntermediate', 'expiredCrl'])(
    `%s is caught with ${alg} CRLs`,
    async (name) => {
      const fault = CHAIN_FAULTS.find((f) => f.name === name)!
      expect(check(await fault.build(algPki))).toBe(fault.reason)
    },
  )
})

describe('one fault per chain (es256)', () => {
  it.each(CHAIN_FAULTS)('$name → $reason', async ({ build, reason }) => {
    expect(check(await build(pki))).toBe(reason)
  })

  it('a CRL signed with a key of another type (ES256 naming an Ed25519 CA) → crl_unavailable', async () => {
    expect(check(await crlSignedByOtherKey(await makePki('ed25519')))).toBe('crl_unavailable')
  })
})

describe('x5c shape → malformed', () => {
  const validator = () => new ChainValidator({ trustAnchors: pki.anchors })
  const cases: { name: string; x5c: () => unknown }[] = [
    { name: 'empty x5c', x5c: () => [] },
    { name: 'not an array', x5c: () => pki.leaf.der },
    { name: 'an entry that is a string', x5c: () => [pki.leaf.certificate.toString('base64')] },
    { name: 'an entry that is not DER', x5c: () => [new Uint8Array([0x30, 0x03, 1, 2, 3])] },
    {
      name: 'bytes after the certificate',
      x5c: () => [Buffer.concat([pki.leaf.der, Buffer.of(0)])],
    },
    {
      name: 'five certificates with the default maximum of 4',
      x5c: () => [...pki.chain, pki.root.der, pki.root.der, pki.root.der],
    },
  ]
  it.each(cases)('$name → malformed', ({ x5c }) => {
    expect(reasonOf(() => validator().validate(x5c() as Uint8Array[], instant()))).toBe('malformed')
  })

  it('maxChainLength raises the limit: a 5-certificate x5c is accepted with 5', async () => {
    const deep = await deepChain(pki, 4)
    expect(deep.x5c).toHaveLength(5)
    expect(check(deep, { maxChainLength: 5 })).toBe('accepted')
  })

  it('a 4-certificate x5c (leaf + 3 intermediates) is accepted by default', async () => {
    expect(check(await deepChain(pki, 3))).toBe('accepted')
  })
})

describe('path building → untrusted_chain', () => {
  it('x5c out of order (intermediate first)', () => {
    const x5c = [pki.intermediate.der, pki.leaf.der]
    expect(check({ leaf: pki.leaf, x5c, anchors: pki.anchors, crls: [] })).toBe('untrusted_chain')
  })

  it('x5c holding only the anchor', () => {
    expect(check({ leaf: pki.root, x5c: [pki.root.der], anchors: pki.anchors, crls: [] })).toBe(
      'untrusted_chain',
    )
  })

  it('an intermediate configured as the anchor validates the leaf alone', () => {
    const fixture = {
      leaf: pki.leaf,
      x5c: [pki.leaf.der],
      anchors: [pki.intermediate.der],
      crls: [],
    }
    expect(check(fixture)).toBe('accepted')
  })

  it('an anchor of the same name with another key is skipped for the one that signed', async () => {
    const other = await buildCertificate({
      subjectCn: 'Fedmsg Test Root',
      publicKey: spareKey('other-root').publicKey,
      selfKey: spareKey('other-root').privateKey,
      ...expiredNow(),
      ca: {},
      keyUsage: x509.KeyUsageFlags.keyCertSign,
    })
    const anchors = [new Uint8Array(other.rawData), pki.root.der]
    expect(check({ leaf: pki.leaf, x5c: pki.chain, anchors, crls: [] })).toBe('accepted')
  })
})

describe('validity at now and at the message timestamp', () => {
  const validator = () => new ChainValidator({ trustAnchors: pki.anchors })
  const notAfter = () => pki.leaf.certificate.notAfter.getTime()
  const notBefore = () => pki.leaf.certificate.notBefore.getTime()
  const cases: { name: string; at: () => ReturnType<typeof instant>; reason: string }[] = [
    { name: 'now after notAfter', at: () => instant(notAfter() + 1), reason: 'cert_expired' },
    { name: 'now at notAfter', at: () => instant(notAfter()), reason: 'accepted' },
    {
      name: 'timestamp after notAfter + skew',
      at: () => instant(notAfter() - DAY, notAfter() + SKEW + 1),
      reason: 'cert_expired',
    },
    {
      name: 'timestamp within skew after notAfter',
      at: () => instant(notAfter() - DAY, notAfter() + SKEW),
      reason: 'accepted',
    },
    {
      name: 'now before notBefore',
      at: () => instant(notBefore() - 1),
      reason: 'cert_not_yet_valid',
    },
    {
      name: 'timestamp before notBefore - skew',
      at: () => instant(notBefore() + DAY, notBefore() - SKEW - 1),
      reason: 'cert_not_yet_valid',
    },
    {
      name: 'timestamp within skew before notBefore',
      at: () => instant(notBefore() + DAY, notBefore() - SKEW),
      reason: 'accepted',
    },
  ]
  it.each(cases)('$name → $reason', ({ at, reason }) => {
    expect(reasonOf(() => validator().validate(pki.chain, at()))).toBe(reason)
  })
})

describe('revocation', () => {
  it('requireCrls without any CRL → crl_unavailable', () => {
    expect(check({ ...validChainOf(), crls: [] }, { requireCrls: true })).toBe('crl_unavailable')
  })

  it('requireCrls with only the intermediate CRL (root missing) → crl_unavailable', () => {
    const fixture = { ...validChainOf(), crls: [pki.intermediateCrl] }
    expect(check(fixture, { requireCrls: true })).toBe('crl_unavailable')
  })

  it('requireCrls with both CRLs → accepted', () => {
    expect(check({ ...validChainOf(), crls: pki.crls }, { requireCrls: true })).toBe('accepted')
  })

  it('a CRL whose AKI is not the issuer SKI does not cover it → crl_unavailable', async () => {
    // Right name, right signing key, but the AKI names another key.
    const impostor = await createServiceCertificate(
      pki.root,
      'Fedmsg Test Intermediate',
      spareKey('impostor').publicKey,
      expiredNow(),
    )
    const crl = await crlOf({ certificate: impostor, privateKey: pki.intermediate.privateKey }, [])
    expect(check({ ...validChainOf(), crls: [crl] })).toBe('crl_unavailable')
  })

  it('an older CRL past nextUpdate next to a current one is fine', async () => {
    const stale = await crlOf(pki.intermediate, [], {
      thisUpdate: new Date(Date.now() - 10 * DAY),
      nextUpdate: new Date(Date.now() - DAY),
    })
    expect(check({ ...validChainOf(), crls: [stale, pki.intermediateCrl] })).toBe('accepted')
  })
})

describe('check order: two faults give the first reason', () => {
  it('untrusted_chain before bad_cert_usage: a CA leaf from another root', async () => {
    const keys = spareKey('other-root')
    const otherRoot = issued(
      await buildCertificate({
        subjectCn: 'Other Root',
        publicKey: keys.publicKey,
        selfKey: keys.privateKey,
        ...validNow(),
        ca: {},
        keyUsage: x509.KeyUsageFlags.keyCertSign,
      }),
      keys.privateKey,
    )
    const leaf = await certWith(pki, { issuer: otherRoot, ca: {} })
    expect(check({ leaf, x5c: [leaf.der], anchors: pki.anchors, crls: [] })).toBe('untrusted_chain')
  })

  it('bad_cert_usage before cert_expired: an expired leaf without EKU', async () => {
    const leaf = await certWith(pki, { extendedKeyUsage: undefined, ...expiredNow() })
    expect(check(chainOf(leaf))).toBe('bad_cert_usage')
  })

  it('cert_expired before cert_not_yet_valid: a not-yet-valid leaf under an expired root', async () => {
    const expiredRoot = CHAIN_FAULTS.find((f) => f.name === 'expiredRoot')!
    const leaf = await certWith(pki, notYetValidNow())
    const { anchors } = await expiredRoot.build(pki)
    expect(check({ ...chainOf(leaf), anchors })).toBe('cert_expired')
  })

  it('cert_not_yet_valid before revoked: a revoked leaf valid from tomorrow', async () => {
    const leaf = await certWith(pki, notYetValidNow())
    const crl = await crlOf(pki.intermediate, [leaf])
    expect(check({ ...chainOf(leaf), crls: [crl] })).toBe('cert_not_yet_valid')
  })

  it('revoked before crl_unavailable: a stale CRL still proves a revocation', async () => {
    const stale = await crlOf(pki.intermediate, [pki.leaf], {
      thisUpdate: new Date(Date.now() - 10 * DAY),
      nextUpdate: new Date(Date.now() - DAY),
    })
    expect(check({ ...validChainOf(), crls: [stale] })).toBe('revoked')
  })
})
