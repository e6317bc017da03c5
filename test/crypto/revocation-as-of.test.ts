/**
 * docs/protocol.md §4.6: revocation as of a past instant (`revocationAsOf`, what `fedmsg archive verify`
 * uses). A CRL entry revokes from its revocationDate on; keyCompromise revokes retroactively; a CRL issued
 * after the instant is still the evidence. Without `revocationAsOf` every rule of §4.4 stays as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createCrl, type RevocationReason } from '../../src/ca/certificate-factory.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { makePastPki, DAY, HOUR, REVOKED_AT, type PastPki } from '../archive/archive-pki.js'
import { check, instant } from './chain-check.js'

let pki: PastPki
beforeAll(async () => {
  pki = await makePastPki()
})

type Leaf = keyof PastPki['leaves']
const fixture = (leaf: Leaf) => ({
  leaf: pki.leaves[leaf],
  x5c: [pki.leaves[leaf].der, pki.intermediate.der],
  anchors: [pki.root.der],
  crls: [pki.rootCrl, pki.intermediateCrl],
})
// The instant is both the clock and the message timestamp, with no skew: as of the message's own time.
const asOf = (leaf: Leaf, at: number) =>
  check(fixture(leaf), { revocationAsOf: true }, { now: at, timestamp: at, skewMs: 0 })

const cases = [
  { name: 'a leaf never revoked', leaf: 'current', at: () => REVOKED_AT, want: 'accepted' },
  {
    name: 'superseded, signed before the revocationDate',
    leaf: 'retired',
    at: () => REVOKED_AT - HOUR,
    want: 'accepted',
  },
  {
    name: 'superseded, signed at the revocationDate',
    leaf: 'retired',
    at: () => REVOKED_AT,
    want: 'revoked',
  },
  {
    name: 'superseded, signed after the revocationDate',
    leaf: 'retired',
    at: () => REVOKED_AT + HOUR,
    want: 'revoked',
  },
  {
    name: 'keyCompromise revokes retroactively: signed 20 days before',
    leaf: 'stolen',
    at: () => REVOKED_AT - 20 * DAY,
    want: 'revoked',
  },
  {
    name: 'a leaf expired today, signed while it was valid',
    leaf: 'expired',
    at: () => Date.now() - 30 * DAY,
    want: 'accepted',
  },
  {
    name: 'a leaf signing after its notAfter',
    leaf: 'expired',
    at: () => Date.now() - 10 * DAY,
    want: 'cert_expired',
  },
] as const

describe('revocation as of a past instant', () => {
  it.each(cases)('$name → $want', ({ leaf, at, want }) => {
    expect(asOf(leaf, at())).toBe(want)
  })

  it('a CRL issued after the instant is evidence: not crl_unavailable as of then', () => {
    // The CRLs' thisUpdate is an hour ago; the instant is five days back.
    const at = Date.now() - 5 * DAY
    expect(asOf('current', at)).toBe('accepted')
    expect(check(fixture('current'), {}, instant(at))).toBe('crl_unavailable')
  })

  it('without revocationAsOf, a listed serial is revoked whatever its date and reason', () => {
    expect(check(fixture('retired'), {}, instant())).toBe('revoked')
    expect(check(fixture('retired'), { revocationAsOf: false }, instant())).toBe('revoked')
    expect(check(fixture('current'), {}, instant())).toBe('accepted')
  })
})

// A CA whose key was stolen is revoked with cACompromise (aACompromise for an attribute authority), not
// keyCompromise (RFC 5280 §5.3.1): whoever holds that key can issue a new leaf and backdate anything it signs.
describe('a compromised CA key revokes retroactively, as a compromised leaf key does', () => {
  const intermediateRevoked = async (reason: RevocationReason) => {
    const crl = await createCrl(pki.root, {
      crlNumber: 8n,
      thisUpdate: new Date(Date.now() - HOUR),
      nextUpdate: new Date(Date.now() + 7 * DAY),
      entries: [
        {
          serialHex: pki.intermediate.certificate.serialNumber,
          revokedAt: new Date(REVOKED_AT),
          reason,
        },
      ],
    })
    return { ...fixture('current'), crls: [new Uint8Array(crl.rawData), pki.intermediateCrl] }
  }
  const at = REVOKED_AT - 20 * DAY
  const asOfThen = { now: at, timestamp: at, skewMs: 0 }

  it.each(['cACompromise', 'aACompromise'] as const)(
    'the intermediate revoked with %s: a leaf it issued is revoked 20 days before',
    async (reason) => {
      expect(check(await intermediateRevoked(reason), { revocationAsOf: true }, asOfThen)).toBe(
        'revoked',
      )
    },
  )

  it('the intermediate revoked as superseded: its earlier leaves stay valid as of then', async () => {
    const fixtureThen = await intermediateRevoked('superseded')
    expect(check(fixtureThen, { revocationAsOf: true }, asOfThen)).toBe('accepted')
  })
})

describe('EnvelopeVerifier with asOfMessageTime', () => {
  const verifierOf = (asOfMessageTime: boolean) =>
    new EnvelopeVerifier({
      trustAnchors: [pki.root.der],
      crls: [pki.rootCrl, pki.intermediateCrl],
      asOfMessageTime,
      maxAgeMs: null,
      replayWindowMs: null,
    })
  const verdict = (verifier: EnvelopeVerifier, leaf: Leaf, timestamp: number) => {
    const { topic, frame } = pki
      .signer(pki.leaves[leaf])
      .sign({ topic: 'org.fedoraproject.prod.bodhi.update', msg: {}, i: 1, timestamp })
    const result = verifier.verify(topic, frame)
    return result.ok ? 'accepted' : result.reason
  }

  it('judges each message at its own timestamp, whatever the clock', () => {
    const asOf = verifierOf(true)
    expect(verdict(asOf, 'retired', REVOKED_AT - HOUR)).toBe('accepted')
    expect(verdict(asOf, 'expired', Date.now() - 30 * DAY)).toBe('accepted')
    expect(verdict(asOf, 'stolen', REVOKED_AT - HOUR)).toBe('revoked')
  })

  it('without it, the clock is now: the same messages fail', () => {
    const live = verifierOf(false)
    expect(verdict(live, 'retired', REVOKED_AT - HOUR)).toBe('revoked')
    expect(verdict(live, 'expired', Date.now() - 30 * DAY)).toBe('cert_expired')
  })
})
