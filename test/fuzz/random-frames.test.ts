/**
 * Property (c): random bytes, random text and random JSON in both frames. Never accepted, never throws, one
 * documented reason.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import {
  expectOneReason,
  FUZZ_PARAMETERS,
  FUZZ_TIMEOUT_MS,
  healthyFrame,
  TOPIC,
  verifierFor,
  writeTally,
} from './fuzz-kit.js'

let verifier: EnvelopeVerifier

afterAll(() => writeTally('random-frames'))

beforeAll(async () => {
  verifier = verifierFor((await healthyFrame()).pki)
})

const topicFrame = fc.oneof(
  fc.constant(TOPIC),
  fc.uint8Array({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
)
const envelopeFrame = fc.oneof(
  fc.uint8Array({ maxLength: 2_000 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
)

describe('fuzz: random bytes in both frames', () => {
  it(
    'are never accepted, never throw, and get one documented reason',
    { timeout: FUZZ_TIMEOUT_MS },
    () => {
      fc.assert(
        fc.property(topicFrame, envelopeFrame, (topic, envelope) => {
          expectOneReason(() => verifier.verify(topic, envelope))
        }),
        FUZZ_PARAMETERS,
      )
    },
  )
})
