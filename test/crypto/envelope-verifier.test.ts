import { randomUUID, sign as derSign } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { REJECT_REASONS, type RejectReason } from '../../src/errors.js'
import { CHAIN_FAULTS, makePki, type Pki } from '../fixtures/pki.js'
import {
  b64,
  build,
  F,
  NOW,
  replace,
  rewrite,
  run,
  set,
  useChain,
  type Fault,
} from './envelope-plan.js'
import './to-reject-with.js'

let pki: Pki

beforeAll(async () => {
  pki = await makePki('es256')
})

const ONE_FAULT: readonly { name: string; reason: RejectReason; faults: Fault[] }[] = [
  { name: 'topic frame of 256 bytes', reason: 'oversize', faults: [F.topicFrameTooLong] },
  { name: 'envelope over 1 MiB', reason: 'oversize', faults: [F.envelopeTooLarge] },
  { name: 'leading whitespace', reason: 'malformed', faults: [F.whitespace] },
  { name: 'v = fedmsg/2', reason: 'unsupported_version', faults: [F.versionTwo] },
  { name: 'alg = none', reason: 'unsupported_alg', faults: [F.algNone] },
  { name: 'topic frame differs', reason: 'topic_mismatch', faults: [F.topicFrameDiffers] },
  { name: 'older than max age', reason: 'stale', faults: [F.stale] },
  { name: 'further ahead than skew', reason: 'future', faults: [F.future] },
  { name: 'leaf signed by another key', reason: 'untrusted_chain', faults: [F.forgedChain] },
  { name: 'expired leaf', reason: 'cert_expired', faults: [F.expiredLeaf] },
  ...CHAIN_FAULTS.map(({ name, reason, build }) => ({ name, reason, faults: [useChain(build)] })),
  { name: 'alg EdDSA on a P-256 leaf', reason: 'alg_mismatch', faults: [F.algLabelEdDsa] },
  { name: 'policy lists only koji', reason: 'policy_denied', faults: [F.policyDenies] },
  { name: 'one signature bit flipped', reason: 'bad_signature', faults: [F.signatureTampered] },
]

describe('EnvelopeVerifier: one fault, one reason', () => {
  it.each(ONE_FAULT)('$name → $reason', async ({ faults, reason }) => {
    expect(await run(...faults)).toRejectWith(reason)
  })

  it('the healthy plan verifies', async () => {
    const result = await run()
    expect(result.ok).toBe(true)
  })

  it('replay: the same frame verified twice is refused the second time', async () => {
    const { verifier, topicFrame, frame } = await build()
    expect(verifier.verify(topicFrame, frame).ok).toBe(true)
    expect(verifier.verify(topicFrame, frame)).toRejectWith('replay')
  })

  it('every reason the verifier owns is produced by some case', () => {
    const covered = new Set<RejectReason>([...ONE_FAULT.map((c) => c.reason), 'replay'])
    for (const reason of REJECT_REASONS) {
      if (reason !== 'schema_invalid') expect(covered, reason).toContain(reason)
    }
  })
})

describe('EnvelopeVerifier: check order (two faults → the first reason)', () => {
  const ordered: [string, Fault, Fault, RejectReason][] = [
    ['oversize before malformed', F.topicFrameTooLong, F.whitespace, 'oversize'],
    ['malformed before unsupported_version', F.whitespace, F.versionTwo, 'malformed'],
    ['unsupported_version before unsupported_alg', F.versionTwo, F.algNone, 'unsupported_version'],
    ['unsupported_alg before topic_mismatch', F.algNone, F.topicFrameDiffers, 'unsupported_alg'],
    ['topic_mismatch before stale', F.topicFrameDiffers, F.stale, 'topic_mismatch'],
    ['stale before chain', F.stale, F.forgedChain, 'stale'],
    ['future before chain', F.future, F.expiredLeaf, 'future'],
    ['chain before alg_mismatch', F.expiredLeaf, F.algLabelEdDsa, 'cert_expired'],
    ['alg_mismatch before policy_denied', F.algLabelEdDsa, F.policyDenies, 'alg_mismatch'],
    ['policy_denied before bad_signature', F.policyDenies, F.signatureTampered, 'policy_denied'],
  ]
  it.each(ordered)('%s', async (_name, first, second, reason) => {
    expect(await run(second, first)).toRejectWith(reason)
  })

  it('bad_signature before replay, and a rejected copy does not poison the window', async () => {
    const { verifier, topicFrame, frame } = await build()
    const id = JSON.parse(frame.toString()).msg_id as string
    const forged = await build(set('msg_id', id), F.signatureTampered)
    expect(verifier.verify(topicFrame, forged.frame)).toRejectWith('bad_signature')
    expect(verifier.verify(topicFrame, frame).ok).toBe(true)
    expect(verifier.verify(topicFrame, forged.frame)).toRejectWith('bad_signature')
    expect(verifier.verify(topicFrame, frame)).toRejectWith('replay')
  })

  it('a message refused by policy does not poison the window', async () => {
    const denied = await build(F.policyDenies)
    expect(denied.verifier.verify(denied.topicFrame, denied.frame)).toRejectWith('policy_denied')
    const open = new EnvelopeVerifier({ trustAnchors: pki.anchors, now: () => NOW })
    expect(open.verify(denied.topicFrame, denied.frame).ok).toBe(true)
  })
})

describe('EnvelopeVerifier: canonical frame (docs/protocol.md §2.1)', () => {
  const bytes = (hex: string) => Buffer.from(hex, 'hex')
  it.each<[string, Fault]>([
    ['whitespace between members', rewrite(replace('","', '", "'))],
    ['an escaped plain character', rewrite(replace('lmacken', '\\u006cmacken'))],
    ['a duplicate member', rewrite(replace('{"alg"', '{"i":1,"alg"'))],
    ['-0', rewrite(replace('"n":0', '"n":-0'))],
    ['1e400', rewrite(replace('"n":0', '"n":1e400'))],
    ['2^53 + 1', rewrite(replace('"n":0', '"n":9007199254740993'))],
    ['a byte order mark', rewrite((frame) => Buffer.concat([bytes('efbbbf'), frame]))],
    ['a trailing newline', rewrite((frame) => Buffer.concat([frame, Buffer.from('\n')]))],
    ['invalid UTF-8', rewrite(replace('lmacken', bytes('6cff')))],
    ['a lone surrogate', set('msg', { s: '\ud800' })],
    ['a member named toJSON in msg', set('msg', { toJSON: 'x' })],
  ])('%s → malformed', async (_name, fault) => {
    expect(await run(fault)).toRejectWith('malformed')
  })

  it('member order: the same members in insertion order are refused', async () => {
    const { verifier, topicFrame, frame } = await build()
    const members = Object.entries(JSON.parse(frame.toString()) as object)
    const reordered = Buffer.from(JSON.stringify(Object.fromEntries(members.reverse())))
    expect(verifier.verify(topicFrame, reordered)).toRejectWith('malformed')
  })
})

describe('EnvelopeVerifier: envelope shape (docs/protocol.md §2)', () => {
  const drop =
    (member: string): Fault =>
    (plan) =>
      void delete plan.envelope[member]
  it.each<[string, Fault]>([
    ['an unknown member', set('extra', 1)],
    [
      'a "__proto__" member',
      (plan) =>
        void Object.defineProperty(plan.envelope, '__proto__', { value: {}, enumerable: true }),
    ],
    ['no msg_id', drop('msg_id')],
    ['no msg', drop('msg')],
    ['msg an array', set('msg', [])],
    ['msg a string', set('msg', 'hello')],
    ['v a number', set('v', 1)],
    [
      'topic breaking the grammar (frame equal)',
      (plan) => {
        plan.envelope.topic = 'org..bodhi'
        plan.topicFrame = 'org..bodhi'
      },
    ],
    ['msg_id with an upper-case uuid', set('msg_id', `2024-${randomUUID().toUpperCase()}`)],
    ['msg_id of a version 1 uuid', set('msg_id', '2024-6ba7b810-9dad-11d1-80b4-00c04fd430c8')],
    ['a fractional timestamp', set('timestamp', NOW + 0.5)],
    ['a negative timestamp', set('timestamp', -1)],
    ['i = 0', set('i', 0)],
    ['i beyond 2^53', set('i', 2 ** 53)],
    ['a header value not a string', set('headers', { a: 1 })],
    ['headers an array', set('headers', ['a'])],
    ['alg a number', set('alg', 256)],
    ['x5c empty', (plan) => plan.afterSign.push((e) => void (e.x5c = []))],
    [
      'x5c of 5',
      (plan) => plan.afterSign.push((e) => void (e.x5c = Array(5).fill((e.x5c as string[])[0]))),
    ],
    [
      'x5c base64 without padding',
      (plan) =>
        plan.afterSign.push(
          // A DER length that is a multiple of 3 has no padding to strip; a 2-character group without
          // its "==" is the same fault then.
          (e) =>
            void (e.x5c = (e.x5c as string[]).map((c) =>
              c.endsWith('=') ? c.replace(/=+$/, '') : `${c}AA`,
            )),
        ),
    ],
    [
      'signature in URL-safe base64',
      (plan) =>
        plan.afterSign.push(
          (e) =>
            void (e.signature =
              (e.signature as string).replace(/\+/g, '-').replace(/\//g, '_') + '-'),
        ),
    ],
    [
      'x5c holding bytes that are not a certificate',
      (plan) => plan.afterSign.push((e) => void (e.x5c = ['AAAA'])),
    ],
    ['signature a number', (plan) => plan.afterSign.push((e) => void (e.signature = 1))],
  ])('%s → malformed', async (_name, fault) => {
    expect(await run(fault)).toRejectWith('malformed')
  })

  it.each(['none', 'HS256', 'ES384', 'es256', ''])('alg %j → unsupported_alg', async (alg) => {
    expect(await run(set('alg', alg))).toRejectWith('unsupported_alg')
  })

  it('an alg outside allowedAlgs → unsupported_alg', async () => {
    const onlyEd: Fault = (plan) => void (plan.options.allowedAlgs = ['EdDSA'])
    expect(await run(onlyEd)).toRejectWith('unsupported_alg')
  })

  it('an ES256 signature in DER where P1363 is required → bad_signature', async () => {
    const der: Fault = (plan) =>
      plan.afterSign.push((e) => {
        delete e.signature
        e.signature = b64(derSign('sha256', canonicalBytes(e), pki.leafKey))
      })
    expect(await run(der)).toRejectWith('bad_signature')
  })

  it('keeps a "__proto__" member of msg as data', async () => {
    const result = await run(set('msg', JSON.parse('{"__proto__":{"admin":true}}')))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(Object.getPrototypeOf(result.message.body)).toBe(Object.prototype)
    expect(Object.keys(result.message.body)).toEqual(['__proto__'])
  })
})
