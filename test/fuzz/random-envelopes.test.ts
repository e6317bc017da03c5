/**
 * Property (a): an envelope built from the fedmsg/1 member names with random values, any subset of them, maybe
 * an unknown member, maybe honestly signed. The verifier never throws; it rejects with exactly one documented
 * reason, or, only for an honestly signed envelope, accepts exactly what was signed.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import { signBytes } from '../../src/crypto/primitives.js'
import type { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { Pki } from '../fixtures/pki.js'
import { arbitraryEnvelope, serialize } from './envelope-arbitraries.js'
import {
  countVerdict,
  expectOneReason,
  FUZZ_PARAMETERS,
  FUZZ_TIMEOUT_MS,
  healthyFrame,
  TOPIC,
  verifierFor,
  writeTally,
} from './fuzz-kit.js'

let pki: Pki
let verifier: EnvelopeVerifier

afterAll(() => writeTally('random-envelopes'))

beforeAll(async () => {
  ;({ pki } = await healthyFrame())
  verifier = verifierFor(pki)
})

describe('fuzz: random envelopes', () => {
  it(
    'never throw; one documented reason, or exactly what was honestly signed',
    { timeout: FUZZ_TIMEOUT_MS },
    () => {
      let accepted = 0
      fc.assert(
        fc.property(arbitraryEnvelope(pki), fc.boolean(), (input, ownTopicFrame) => {
          const envelope: Record<string, unknown> = { ...input.envelope, ...(input.extra ?? {}) }
          if (input.signHonestly) {
            const signature = signBytes('ES256', pki.leafKey, canonicalBytes(envelope))
            envelope.signature = signature.toString('base64')
          } else if (input.signature !== null) {
            envelope.signature = input.signature
          }
          const frame = serialize(envelope, input.canonical)
          const topicFrame =
            ownTopicFrame && typeof envelope.topic === 'string' ? envelope.topic : TOPIC
          const result = verifier.verify(topicFrame, frame)
          if (!result.ok) return void expectOneReason(() => result)
          countVerdict(result)
          accepted++
          expect(input.signHonestly).toBe(true)
          expect(result.message).toMatchObject({
            topic: envelope.topic,
            body: envelope.msg,
            msgId: envelope.msg_id,
            timestamp: envelope.timestamp,
            i: envelope.i,
            alg: envelope.alg,
            headers: envelope.headers ?? {},
          })
        }),
        FUZZ_PARAMETERS,
      )
      // The generators are meant to reach the end of the checks too, not only the parser.
      expect(accepted).toBeGreaterThan(0)
    },
  )
})
