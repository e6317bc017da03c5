/**
 * Property (d): the verdict is a function of the input and the configuration. Two fresh verifiers (same
 * anchors, CRLs and clock, replay on) give the same answer, reason and detail for the same frames, whatever the
 * frames: random envelopes, mutated healthy frames, random bytes.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Pki } from '../fixtures/pki.js'
import { applyByteEdit, arbitraryEnvelope, byteEdit, serialize } from './envelope-arbitraries.js'
import {
  countVerdict,
  FUZZ_PARAMETERS,
  FUZZ_TIMEOUT_MS,
  healthyFrame,
  TOPIC,
  verifierFor,
  writeTally,
} from './fuzz-kit.js'

let pki: Pki
let frame: Buffer

afterAll(() => writeTally('determinism'))

beforeAll(async () => {
  ;({ pki, frame } = await healthyFrame())
})

function verdictOf(topic: Uint8Array | string, envelope: Uint8Array | string) {
  const result = verifierFor(pki, { replay: true }).verify(topic, envelope)
  return result.ok
    ? { ok: true, msgId: result.message.msgId, signer: result.message.signer }
    : { ok: false, reason: result.reason, detail: result.detail }
}

describe('fuzz: determinism', () => {
  it('two fresh verifiers give the same verdict', { timeout: FUZZ_TIMEOUT_MS }, () => {
    const inputs = fc.oneof(
      arbitraryEnvelope(pki).map(({ envelope, canonical }) => serialize(envelope, canonical)),
      fc.array(byteEdit, { maxLength: 2 }).map((edits) => edits.reduce(applyByteEdit, frame)),
      fc.uint8Array({ maxLength: 500 }),
    )
    fc.assert(
      fc.property(inputs, (envelope) => {
        const verdict = verdictOf(TOPIC, envelope)
        countVerdict(verdict)
        expect(verdictOf(TOPIC, envelope)).toEqual(verdict)
      }),
      FUZZ_PARAMETERS,
    )
  })
})
