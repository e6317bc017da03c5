/**
 * Property (e): structure-aware mutations. The certificates in `x5c` are edited as ASN.1 (a field's content,
 * tag, presence, order or length encoding, or a field grafted from another certificate), and `signature` and
 * the `x5c` elements as base64 (their bytes, or their text). Whenever `x5c` changed the envelope is signed
 * again with bodhi's own key, so the mutant gets past the signature member's checks and reaches the chain's.
 * A mutant is never accepted, never makes the verifier throw, and gets one documented reason.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import type { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { signBytes } from '../../src/crypto/primitives.js'
import type { Pki } from '../fixtures/pki.js'
import {
  expectOneReason,
  FUZZ_PARAMETERS,
  FUZZ_TIMEOUT_MS,
  healthyFrame,
  reasonsSeen,
  TOPIC,
  verifierFor,
  writeTally,
} from './fuzz-kit.js'
import { applyBase64Edit, applyDerEdits, base64Edit, x5cEdit } from './structure-arbitraries.js'

let pki: Pki
let verifier: EnvelopeVerifier
let healthy: Record<string, unknown>
let donors: Buffer[]

afterAll(() => writeTally('structure-mutations'))

beforeAll(async () => {
  const { pki: built, frame } = await healthyFrame()
  pki = built
  verifier = verifierFor(pki)
  healthy = JSON.parse(frame.toString('utf8')) as Record<string, unknown>
  donors = [pki.root, pki.intermediate, pki.leaf, pki.otherLeaf, pki.directLeaf].map(({ der }) =>
    Buffer.from(der),
  )
})

/** The healthy envelope with `x5c`, signed again by bodhi's key over the new signing input. */
function resigned(x5c: readonly string[]): Buffer {
  const unsigned: Record<string, unknown> = { ...healthy, x5c }
  delete unsigned.signature
  const signature = signBytes('ES256', pki.leafKey, canonicalBytes(unsigned)).toString('base64')
  return canonicalBytes({ ...unsigned, signature })
}

describe('fuzz: structure-aware mutations', () => {
  it(
    'ASN.1 edits of the x5c certificates, re-signed by the leaf key, are never accepted',
    { timeout: FUZZ_TIMEOUT_MS },
    () => {
      fc.assert(
        fc.property(x5cEdit, ({ element, edits, appendRoot }) => {
          const certificates: Buffer[] = [
            pki.leaf,
            pki.intermediate,
            ...(appendRoot ? [pki.root] : []),
          ].map(({ der }) => Buffer.from(der))
          const index = element % certificates.length
          const mutated = applyDerEdits(certificates[index]!, edits, donors)
          fc.pre(!mutated.equals(certificates[index]!))
          certificates[index] = mutated
          const frame = resigned(certificates.map((der) => der.toString('base64')))
          expectOneReason(() => verifier.verify(TOPIC, frame))
        }),
        FUZZ_PARAMETERS,
      )
      // The mutants reach path validation, not only the DER parser.
      expect(reasonsSeen()).toMatchObject({
        malformed: expect.any(Number),
        untrusted_chain: expect.any(Number),
      })
    },
  )

  it(
    'base64 edits of the signature and the x5c elements are never accepted',
    { timeout: FUZZ_TIMEOUT_MS },
    () => {
      const edits = fc.array(base64Edit, { minLength: 1, maxLength: 2 })
      fc.assert(
        fc.property(fc.boolean(), fc.nat(), edits, (inSignature, element, list) => {
          let frame: Buffer
          if (inSignature) {
            const signature = list.reduce(applyBase64Edit, healthy.signature as string)
            fc.pre(signature !== healthy.signature)
            frame = canonicalBytes({ ...healthy, signature })
          } else {
            const x5c = [...(healthy.x5c as string[])]
            const index = element % x5c.length
            const text = list.reduce(applyBase64Edit, x5c[index]!)
            fc.pre(text !== x5c[index])
            x5c[index] = text
            frame = resigned(x5c)
          }
          expectOneReason(() => verifier.verify(TOPIC, frame))
        }),
        FUZZ_PARAMETERS,
      )
      expect(reasonsSeen()).toMatchObject({ bad_signature: expect.any(Number) })
    },
  )
})
