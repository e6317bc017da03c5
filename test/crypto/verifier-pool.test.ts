/**
 * VerifierPool, with real worker threads and certificates: the same verdicts as an EnvelopeVerifier on the
 * calling thread, replay caught across threads, the injected clock, CRL reload, submission order, backpressure.
 *
 *   submit → batch → worker (every check but replay) → in order → replay cache (main thread) → sink
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair } from '../../src/ca/key-pair.js'
import { MAX_NESTING_DEPTH } from '../../src/crypto/canonical.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import { VerifiedMessage, type VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import { crlOf, makePki, serviceLeaf, type Issued, type Pki } from '../fixtures/pki.js'
import {
  envelopeMembers,
  signedFrame,
  TOPIC as FORGED_TOPIC,
} from '../adversarial/forge-envelope.js'
import {
  signed,
  signerOf,
  startPool,
  TOPIC,
  type Frames,
  type PoolHarness,
} from './pool-fixture.js'

const POLICY = {
  default: 'allow',
  rules: [{ topic: 'org.fedoraproject.prod.koji.>', allow: ['koji'] }],
}
// Two days ahead of the real clock: certificates and CRLs are still valid then, and a verifier that read the
// real clock instead of the injected one would call every message `future`.
const CLOCK = Date.now() + 2 * 86_400_000

let pki: Pki
let victim: Issued
let bodhi: EnvelopeSigner
let harness: PoolHarness
let i = 0

beforeAll(async () => {
  pki = await makePki('es256')
  victim = await serviceLeaf(pki.intermediate, 'bodhi', generateKeyPair('es256'))
  bodhi = signerOf(pki, pki.leaf)
  harness = await startPool({
    trustAnchors: pki.anchors,
    crls: pki.crls,
    policyJson: POLICY,
    now: () => CLOCK,
    workers: 2,
  })
})
afterAll(() => harness?.pool.close())

/** What an EnvelopeVerifier on this thread says, configured like the pool. */
const inline = () =>
  new EnvelopeVerifier({
    trustAnchors: pki.anchors,
    crls: pki.crls,
    policy: RoutingPolicy.fromJson(POLICY),
    now: () => CLOCK,
  })

const at = (timestamp: number, signer = bodhi, topic = TOPIC) =>
  signed(signer, { i: ++i, timestamp }, topic)

const CASES: { name: string; frames: () => Frames; expected: string }[] = [
  { name: 'a valid message', frames: () => at(CLOCK), expected: 'ok' },
  {
    name: 'a changed body',
    frames: () => {
      const [topic, frame] = at(CLOCK)
      return [topic, Buffer.from(frame.toString().replace(`"n":${i}`, `"n":${i + 1}`))]
    },
    expected: 'bad_signature',
  },
  { name: 'a frame that is not JSON', frames: () => [TOPIC, '{"v":'], expected: 'malformed' },
  {
    name: 'another topic frame',
    frames: () => [`${TOPIC}.x`, at(CLOCK)[1]],
    expected: 'topic_mismatch',
  },
  { name: 'stamped before max age', frames: () => at(CLOCK - 300_001), expected: 'stale' },
  { name: 'stamped beyond the skew', frames: () => at(CLOCK + 30_001), expected: 'future' },
  {
    name: 'a topic the policy keeps for koji',
    frames: () => at(CLOCK, bodhi, 'org.fedoraproject.prod.koji.build'),
    expected: 'policy_denied',
  },
  {
    name: 'a chain without its intermediate',
    frames: () =>
      signed(
        new EnvelopeSigner({
          certificates: [pki.leaf.der],
          privateKey: pki.leaf.privateKey,
        }),
        { i: ++i, timestamp: CLOCK },
      ),
    expected: 'untrusted_chain',
  },
]

const verdict = (result: VerifyResult) => (result.ok ? 'ok' : result.reason)

describe('the same verdict as EnvelopeVerifier', () => {
  it.each(CASES)('$name → $expected', async ({ frames, expected }) => {
    const message = frames()
    const [fromPool] = await harness.verify([message])
    const fromInline = inline().verify(...message)
    expect(verdict(fromPool!)).toBe(expected)
    expect(verdict(fromInline)).toBe(expected)
    if (fromPool!.ok && fromInline.ok) {
      expect({ ...fromPool.message }).toEqual({ ...fromInline.message })
    } else {
      expect(fromPool).toEqual(fromInline)
    }
  })

  it('delivers a VerifiedMessage, deeply frozen, with a body that has a "__proto__" member as data', async () => {
    const msg = JSON.parse('{"__proto__":{"admin":true},"list":[{"note":"é€😀"},[1.5e-7,null]]}')
    const [result] = await harness.verify([signed(bodhi, { i: ++i, timestamp: CLOCK, msg })])
    if (!result?.ok) throw new Error(`rejected: ${JSON.stringify(result)}`)
    expect(result.message).toBeInstanceOf(VerifiedMessage)
    expect(Object.getPrototypeOf(result.message.body)).toBe(Object.prototype)
    expect(result.message.body).toEqual(msg)
    expect(Object.isFrozen(result.message.body['list'])).toBe(true)
    expect(Object.isFrozen(result.message.signer)).toBe(true)
  })

  it('a VerifiedMessage cannot be made outside the verifier', () => {
    const make = VerifiedMessage as unknown as new (token: symbol, fields: object) => unknown
    expect(() => new make(Symbol('VerifiedMessage issuer'), {})).toThrow(TypeError)
  })
})

describe('a message no thread must die of', () => {
  it('a validly signed body nested past the protocol limit is refused alone; its batch-mates are delivered, nothing lost', async () => {
    // Bodies nested past the limit used to pass the checks in a thread (a larger stack) and then overflow the
    // verdict's encoding, taking the thread and its whole batch down; now the limit refuses them first.
    const levels = MAX_NESTING_DEPTH + 10
    const deepBody = JSON.parse(`{"d":${'['.repeat(levels)}${']'.repeat(levels)}}`) as unknown
    const members = { ...envelopeMembers(CLOCK, pki.chain), msg: deepBody }
    const deep: Frames = [FORGED_TOPIC, signedFrame(members, pki.leafKey)]
    const lostBefore = harness.lost.length
    const results = await harness.verify([at(CLOCK), deep, at(CLOCK)])
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['ok', 'malformed', 'ok'])
    expect(harness.lost.length).toBe(lostBefore)
  })
})

describe('replay, on the main thread', () => {
  it('the same msg_id in two batches verified by two threads: the second is replay', async () => {
    const two = await startPool({ trustAnchors: pki.anchors, workers: 2, batchSize: 1 })
    try {
      const message = at(Date.now())
      // batchSize 1: each message is a batch of its own, and the second goes to the idle thread.
      const results = await two.verify([message, message, at(Date.now())])
      expect(results.map(verdict)).toEqual(['ok', 'replay', 'ok'])
    } finally {
      await two.pool.close()
    }
  })

  it('a msg_id seen in an earlier batch is replay; a rejected message is never recorded', async () => {
    const message = at(CLOCK)
    const [tampered, ok] = [
      [message[0], Buffer.from(message[1].toString().replace('"n":', '"m":'))] as Frames,
      message,
    ]
    expect((await harness.verify([tampered])).map(verdict)).toEqual(['bad_signature'])
    expect((await harness.verify([ok])).map(verdict)).toEqual(['ok'])
    expect((await harness.verify([ok])).map(verdict)).toEqual(['replay'])
  })
})

describe('CRL reload', () => {
  it('setCrls reaches every thread: a leaf revoked after the reload is revoked; a bad CRL throws and changes nothing', async () => {
    const victimSigner = signerOf(pki, victim)
    const send = () => signed(victimSigner, { i: ++i, timestamp: CLOCK })
    expect((await harness.verify([send(), send()])).map(verdict)).toEqual(['ok', 'ok'])
    harness.pool.setCrls([pki.rootCrl, await crlOf(pki.intermediate, [victim])])
    const after = await harness.verify([send(), send(), send(), at(CLOCK)])
    expect(after.map(verdict)).toEqual(['revoked', 'revoked', 'revoked', 'ok'])
    expect(() => harness.pool.setCrls([new Uint8Array([0x30, 0x03, 1, 2, 3])])).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CRL_INVALID' }),
    )
    expect((await harness.verify([send(), at(CLOCK)])).map(verdict)).toEqual(['revoked', 'ok'])
    harness.pool.setCrls(pki.crls)
  })
})

describe('order and backpressure', () => {
  it('500 messages of mixed verdicts come back in submission order', async () => {
    const kinds = [
      () => at(CLOCK),
      () => at(CLOCK - 400_000),
      (): Frames => [TOPIC, 'garbage'],
      () => at(CLOCK, bodhi, 'org.fedoraproject.prod.koji.tag'),
    ]
    const expected = ['ok', 'stale', 'malformed', 'policy_denied']
    const messages = Array.from({ length: 500 }, (_, n) => kinds[(n * 7) % 4]!())
    const results = await harness.verify(messages)
    expect(results.map(verdict)).toEqual(messages.map((_, n) => expected[(n * 7) % 4]))
    const is = results.flatMap((result) => (result.ok ? [result.message.i] : []))
    expect(is).toEqual([...is].sort((a, b) => a - b))
  })

  it('submit() returns a promise once every thread is full, and it resolves when one has room', async () => {
    const small = await startPool({
      trustAnchors: pki.anchors,
      now: () => CLOCK,
      workers: 1,
      batchSize: 4,
      batchesPerWorker: 1,
    })
    try {
      const submit = () => {
        const [topic, frame] = at(CLOCK)
        return small.pool.submit(Buffer.from(topic), frame)
      }
      const answers = Array.from({ length: 8 }, submit)
      expect(answers.slice(0, 7).every((answer) => answer === undefined)).toBe(true)
      expect(answers[7]).toBeInstanceOf(Promise)
      await answers[7]
      await small.pool.drain()
      expect(small.results.map(verdict)).toEqual(Array(8).fill('ok'))
    } finally {
      await small.pool.close()
    }
  })
})
