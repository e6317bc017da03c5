/**
 * Property (b): one to three random edits of a healthy signed frame, at the byte level (flips, sets,
 * insertions, deletions, truncation) or the JSON level (a member set, deleted or added at the top level, in msg
 * or in headers). Unless the edits cancel out, the result is never accepted, never throws, and gets one
 * documented reason.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import type { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import {
  applyByteEdit,
  applyMemberEdit,
  byteEdit,
  memberEdit,
  type ByteEdit,
  type MemberEdit,
} from './envelope-arbitraries.js'
import {
  expectOneReason,
  FUZZ_PARAMETERS,
  FUZZ_TIMEOUT_MS,
  healthyFrame,
  TOPIC,
  verifierFor,
  writeTally,
} from './fuzz-kit.js'

let frame: Buffer
let verifier: EnvelopeVerifier

afterAll(() => writeTally('frame-mutations'))

beforeAll(async () => {
  const healthy = await healthyFrame()
  frame = healthy.frame
  verifier = verifierFor(healthy.pki)
})

type Edit = { level: 'bytes'; edit: ByteEdit } | { level: 'json'; edit: MemberEdit }

function applyEdit(bytes: Buffer, { level, edit }: Edit): Buffer {
  if (level === 'bytes') return applyByteEdit(bytes, edit)
  let envelope: Record<string, unknown>
  try {
    envelope = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>
  } catch {
    return bytes
  }
  if (typeof envelope !== 'object' || envelope === null) return bytes
  applyMemberEdit(envelope, edit)
  try {
    return canonicalBytes(envelope)
  } catch {
    return Buffer.from(JSON.stringify(envelope))
  }
}

const edits = fc.array(
  fc.oneof(
    byteEdit.map((edit): Edit => ({ level: 'bytes', edit })),
    memberEdit.map((edit): Edit => ({ level: 'json', edit })),
  ),
  { minLength: 1, maxLength: 3 },
)

describe('fuzz: mutations of a healthy frame', () => {
  it('the healthy frame verifies (replay is off for this verifier)', () => {
    expect(verifier.verify(TOPIC, frame).ok).toBe(true)
  })

  it(
    'are never accepted, never throw, and get one documented reason',
    { timeout: FUZZ_TIMEOUT_MS },
    () => {
      fc.assert(
        fc.property(edits, (list) => {
          const mutated = list.reduce(applyEdit, frame)
          fc.pre(!mutated.equals(frame))
          expectOneReason(() => verifier.verify(TOPIC, mutated))
        }),
        FUZZ_PARAMETERS,
      )
    },
  )

  it(
    'a mutated topic frame with the healthy envelope is never accepted',
    { timeout: FUZZ_TIMEOUT_MS },
    () => {
      const topic = Buffer.from(TOPIC)
      fc.assert(
        fc.property(fc.array(byteEdit, { minLength: 1, maxLength: 3 }), (list) => {
          const mutated = list.reduce(applyByteEdit, topic)
          fc.pre(!mutated.equals(topic))
          expectOneReason(() => verifier.verify(mutated, frame))
        }),
        FUZZ_PARAMETERS,
      )
    },
  )
})
