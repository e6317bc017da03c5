/**
 * Reads the test vectors of test/vectors/ (format: test/vectors/README.md) and runs one through the real
 * verifier. Shared by vectors.test.ts and protocol-examples.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import type { Alg, VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import type { RejectReason } from '../../src/errors.js'

export const VECTORS_DIR = join(import.meta.dirname, '..', 'vectors')

/** What a verifier answers, in the shape of a vector's `expected`. */
export type Verdict =
  | {
      ok: true
      signer: string
      alg: Alg
      topic: string
      msg_id: string
      timestamp: number
      i: number
    }
  | { ok: false; reason: RejectReason }

/**
 * One vector file. Either `frames` alone, or exactly one of the topic members and one of the envelope
 * members.
 */
export interface TestVector {
  description: string
  frames?: string[]
  topic_frame?: string
  topic_frame_b64?: string
  envelope_frame?: string
  envelope_frame_b64?: string
  envelope_frames?: string[]
  trust_anchors: string[]
  crls: string[]
  require_crls?: boolean
  policy: unknown
  now: string
  not_before?: string
  max_age_seconds: number | null
  clock_skew_seconds: number
  max_envelope_bytes?: number
  allowed_algs?: Alg[]
  expected: Verdict | Verdict[]
}

/** Every member a vector file may have. */
export const VECTOR_MEMBERS: ReadonlySet<string> = new Set([
  'description',
  'frames',
  'topic_frame',
  'topic_frame_b64',
  'envelope_frame',
  'envelope_frame_b64',
  'envelope_frames',
  'trust_anchors',
  'crls',
  'require_crls',
  'policy',
  'now',
  'not_before',
  'max_age_seconds',
  'clock_skew_seconds',
  'max_envelope_bytes',
  'allowed_algs',
  'expected',
])

/** Every `*.json` vector, by file name without `.json`, sorted. */
export function loadVectors(): { name: string; vector: TestVector }[] {
  return readdirSync(VECTORS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.slice(0, -'.json'.length),
      vector: JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8')) as TestVector,
    }))
}

/** The text of a file named by a vector (relative to test/vectors). */
export const readVectorFile = (file: string): string =>
  readFileSync(join(VECTORS_DIR, file), 'utf8')

/** A fresh verifier configured as the vector says, its clock fixed at `now` (default: the vector's). */
export function verifierFor(vector: TestVector, now = Date.parse(vector.now)): EnvelopeVerifier {
  return new EnvelopeVerifier({
    trustAnchors: vector.trust_anchors.map(readVectorFile),
    crls: vector.crls.map(readVectorFile),
    requireCrls: vector.require_crls ?? false,
    ...(vector.policy === null ? {} : { policy: RoutingPolicy.fromJson(vector.policy) }),
    now: () => now,
    maxAgeMs: vector.max_age_seconds === null ? null : vector.max_age_seconds * 1000,
    clockSkewMs: vector.clock_skew_seconds * 1000,
    ...(vector.not_before === undefined ? {} : { notBeforeMs: Date.parse(vector.not_before) }),
    ...(vector.max_envelope_bytes === undefined
      ? {}
      : { maxEnvelopeBytes: vector.max_envelope_bytes }),
    ...(vector.allowed_algs === undefined ? {} : { allowedAlgs: vector.allowed_algs }),
  })
}

export const topicFrameOf = (vector: TestVector): string | Buffer =>
  vector.topic_frame ?? Buffer.from(vector.topic_frame_b64!, 'base64')

/** The envelope frames, in the order they are verified (the frame list of a `frames` vector, as one). */
export function envelopeFramesOf(vector: TestVector): (string | Buffer)[] {
  if (vector.frames !== undefined) return [vector.frames[1] ?? '']
  if (vector.envelope_frames !== undefined) return vector.envelope_frames
  if (vector.envelope_frame !== undefined) return [vector.envelope_frame]
  return [Buffer.from(vector.envelope_frame_b64!, 'base64')]
}

/** The expected verdicts, one per envelope frame. */
export const expectedOf = (vector: TestVector): Verdict[] =>
  Array.isArray(vector.expected) ? vector.expected : [vector.expected]

export function verdictOf(result: VerifyResult): Verdict {
  if (!result.ok) return { ok: false, reason: result.reason }
  const { signer, alg, topic, msgId, timestamp, i } = result.message
  return { ok: true, signer: signer.name, alg, topic, msg_id: msgId, timestamp, i }
}

/** Verifies every frame of `vector` in order with one verifier, as the format prescribes. */
export function runVector(vector: TestVector): Verdict[] {
  const verifier = verifierFor(vector)
  if (vector.frames !== undefined) return [verdictOf(verifier.verifyMessage(vector.frames))]
  const topic = topicFrameOf(vector)
  return envelopeFramesOf(vector).map((frame) => verdictOf(verifier.verify(topic, frame)))
}
