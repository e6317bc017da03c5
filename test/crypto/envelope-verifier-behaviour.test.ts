import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair, type KeyAlgorithm } from '../../src/ca/key-pair.js'
import { encodePem, PEM_LABEL } from '../../src/crypto/pem.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { Alg } from '../../src/crypto/envelope/verified-message.js'
import { isRejectReason } from '../../src/errors.js'
import { crlOf, makePki, serviceLeaf, type Issued, type Pki } from '../fixtures/pki.js'
import { build, F, NOW, run, set, TOPIC } from './envelope-plan.js'
import './to-reject-with.js'

let pki: Pki
const leaves = new Map<KeyAlgorithm, Issued>()

beforeAll(async () => {
  pki = await makePki('es256')
  for (const alg of ['es256', 'ed25519', 'rsa2048'] as const) {
    leaves.set(alg, await serviceLeaf(pki.intermediate, 'bodhi', generateKeyPair(alg)))
  }
})

function signerFor(keyAlg: KeyAlgorithm, alg?: Alg): EnvelopeSigner {
  const leaf = leaves.get(keyAlg)!
  return new EnvelopeSigner({
    certificates: [leaf.der, pki.intermediate.der],
    privateKey: leaf.privateKey,
    ...(alg === undefined ? {} : { alg }),
  })
}

const verifierAt = (now: number, options = {}) =>
  new EnvelopeVerifier({ trustAnchors: pki.anchors, now: () => now, ...options })

describe('round trip: EnvelopeSigner → EnvelopeVerifier', () => {
  it.each([
    ['es256', undefined, 'ES256'],
    ['ed25519', undefined, 'EdDSA'],
    ['rsa2048', undefined, 'PS256'],
    ['rsa2048', 'RS256', 'RS256'],
  ] as const)('%s key, alg %s → verified as %s', (keyAlg, alg, expected) => {
    const signer = signerFor(keyAlg, alg)
    expect(signer.alg).toBe(expected)
    const msg = { update: 'bodhi-7.2.1-1.fc40', builds: ['a', 'b'], karma: -1, note: 'é€😀' }
    const { topic, frame } = signer.sign({
      topic: TOPIC,
      msg,
      i: 7,
      headers: { trace: 'abc' },
      timestamp: NOW,
    })
    const result = verifierAt(NOW).verify(topic, frame)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.message).toMatchObject({
      topic: TOPIC,
      body: msg,
      i: 7,
      timestamp: NOW,
      alg: expected,
      headers: { trace: 'abc' },
    })
    expect(result.message.signer.name).toBe('bodhi')
    expect(result.message.msgId).toMatch(/^\d{4}-/)
    expect(Object.isFrozen(result.message)).toBe(true)
  })

  it('takes frames as strings too', () => {
    const { topic, frame } = signerFor('es256').sign({
      topic: TOPIC,
      msg: {},
      i: 1,
      timestamp: NOW,
    })
    expect(verifierAt(NOW).verify(topic, frame.toString('utf8')).ok).toBe(true)
  })

  it('accepts trust anchors and CRLs given as PEM text', () => {
    const { topic, frame } = signerFor('es256').sign({
      topic: TOPIC,
      msg: {},
      i: 1,
      timestamp: NOW,
    })
    const verifier = new EnvelopeVerifier({
      trustAnchors: [encodePem(pki.root.der, PEM_LABEL.certificate)],
      crls: [pki.crls.map((crl) => encodePem(crl, PEM_LABEL.crl)).join('')],
      now: () => NOW,
    })
    expect(verifier.verify(topic, frame).ok).toBe(true)
  })

  it('refuses PEM text without a certificate as a trust anchor (ERR_FEDMSG_CERT_INVALID)', () => {
    expect(() => new EnvelopeVerifier({ trustAnchors: ['not a pem'] })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CERT_INVALID' }),
    )
  })
})

describe('freshness boundaries through the verifier', () => {
  it.each([
    ['exactly 300 s old', NOW - 300_000, true],
    ['300 s + 1 ms old', NOW - 300_001, false],
    ['exactly 30 s ahead', NOW + 30_000, true],
    ['30 s + 1 ms ahead', NOW + 30_001, false],
  ])('%s → accepted: %s', async (_name, timestamp, accepted) => {
    expect((await run(set('timestamp', timestamp))).ok).toBe(accepted)
  })

  it('maxAgeMs null accepts old messages', async () => {
    const noAge = (plan: { options: { maxAgeMs?: number | null } }) =>
      void (plan.options.maxAgeMs = null)
    expect((await run(set('timestamp', NOW - 86_400_000 / 2), noAge)).ok).toBe(true)
  })

  it('notBeforeMs refuses messages from before the restart as replay', async () => {
    const restarted = (plan: { options: { notBeforeMs?: number } }) =>
      void (plan.options.notBeforeMs = NOW)
    expect(await run(set('timestamp', NOW - 30_000), restarted)).toRejectWith('replay')
    expect(await run(set('timestamp', NOW - 1), restarted)).toRejectWith('replay')
    expect((await run(set('timestamp', NOW), restarted)).ok).toBe(true)
  })
})

describe('replay window', () => {
  it('forgets a msg_id once the window has passed', async () => {
    const { topicFrame, frame } = await build()
    let now = NOW
    const verifier = new EnvelopeVerifier({
      trustAnchors: pki.anchors,
      now: () => now,
      maxAgeMs: null,
      replayWindowMs: 1_000,
    })
    expect(verifier.verify(topicFrame, frame).ok).toBe(true)
    now += 999
    expect(verifier.verify(topicFrame, frame)).toRejectWith('replay')
    now += 1
    expect(verifier.verify(topicFrame, frame).ok).toBe(true)
  })

  it('replayWindowMs null disables the replay check', async () => {
    const { topicFrame, frame } = await build()
    const verifier = verifierAt(NOW, { replayWindowMs: null })
    expect(verifier.verify(topicFrame, frame).ok).toBe(true)
    expect(verifier.verify(topicFrame, frame).ok).toBe(true)
  })
})

describe('what a rejection tells', () => {
  it('names topic and signer once the chain verified', async () => {
    expect(await run(F.policyDenies)).toMatchObject({
      ok: false,
      reason: 'policy_denied',
      topic: TOPIC,
      signer: 'bodhi',
    })
  })

  it('names no signer before the chain verified', async () => {
    const result = await run(F.stale)
    expect(result).toMatchObject({ ok: false, reason: 'stale', topic: TOPIC })
    expect(result).not.toHaveProperty('signer')
  })
})

describe('setCrls (hot reload)', () => {
  it('a CRL loaded later revokes the leaf', async () => {
    const verifier = verifierAt(NOW, { crls: pki.crls, replayWindowMs: null })
    const { topic, frame } = signerFor('es256').sign({
      topic: TOPIC,
      msg: {},
      i: 1,
      timestamp: NOW,
    })
    expect(verifier.verify(topic, frame).ok).toBe(true)
    verifier.setCrls([pki.rootCrl, await crlOf(pki.intermediate, [leaves.get('es256')!])])
    expect(verifier.verify(topic, frame)).toRejectWith('revoked')
  })

  it('requireCrls: an issuer without a CRL → crl_unavailable', async () => {
    const { topic, frame } = signerFor('es256').sign({
      topic: TOPIC,
      msg: {},
      i: 1,
      timestamp: NOW,
    })
    expect(verifierAt(NOW, { requireCrls: true }).verify(topic, frame)).toRejectWith(
      'crl_unavailable',
    )
  })

  it('refuses PEM text without a CRL (ERR_FEDMSG_CRL_INVALID)', () => {
    const invalid = expect.objectContaining({ code: 'ERR_FEDMSG_CRL_INVALID' })
    expect(() => verifierAt(NOW).setCrls(['-----BEGIN NOTHING-----'])).toThrow(invalid)
    expect(() => verifierAt(NOW, { crls: ['not a CRL'] })).toThrow(invalid)
  })
})

describe('the verifier never throws on input', () => {
  it('random bytes in either frame give a rejection with a known reason', async () => {
    const verifier = verifierAt(NOW)
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 3000 }), (t, e) => {
        const result = verifier.verify(t, e)
        return !result.ok && isRejectReason(result.reason)
      }),
      { numRuns: 300 },
    )
  })

  it('a valid frame with one byte changed is never accepted', async () => {
    const { verifier, topicFrame, frame } = await build()
    fc.assert(
      fc.property(fc.nat(frame.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const changed = Buffer.from(frame)
        changed[at]! ^= xor
        const result = verifier.verify(topicFrame, changed)
        return !result.ok && isRejectReason(result.reason)
      }),
      { numRuns: 300 },
    )
  })

  it('values that are not frames at all are malformed', () => {
    const verifier = verifierAt(NOW)
    for (const junk of [null, undefined, 42, {}, [1, 2]]) {
      expect(verifier.verify(junk as never, junk as never)).toRejectWith('malformed')
    }
  })
})

describe('options', () => {
  it.each([
    ['an unknown alg in allowedAlgs', { allowedAlgs: ['none'] }],
    ['a negative maxAgeMs', { maxAgeMs: -1 }],
    ['a negative clockSkewMs', { clockSkewMs: -1 }],
    ['a NaN replayWindowMs', { replayWindowMs: Number.NaN }],
    ['a negative maxEnvelopeBytes', { maxEnvelopeBytes: -1 }],
  ])('%s is a TypeError', (_name, options) => {
    expect(() => new EnvelopeVerifier({ trustAnchors: pki.anchors, ...options } as never)).toThrow(
      TypeError,
    )
  })

  it('maxEnvelopeBytes lowers the size limit', async () => {
    const small = (plan: { options: { maxEnvelopeBytes?: number } }) =>
      void (plan.options.maxEnvelopeBytes = 100)
    expect(await run(small)).toRejectWith('oversize')
  })
})
