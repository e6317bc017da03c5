/**
 * `VerifiedMessage.envelope` is the verified envelope frame, byte for byte, on both verification paths: an
 * EnvelopeVerifier on the calling thread and a VerifierPool of real worker threads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import { InlineVerifier } from '../../src/verification/message-verifier.js'
import { makePki, type Pki } from '../fixtures/pki.js'
import { signed, signerOf, startPool, type PoolHarness } from './pool-fixture.js'

let pki: Pki
let bodhi: EnvelopeSigner
let harness: PoolHarness
let i = 0

beforeAll(async () => {
  pki = await makePki('es256')
  bodhi = signerOf(pki, pki.leaf)
  harness = await startPool({ trustAnchors: pki.anchors, crls: pki.crls, workers: 2 })
})
afterAll(() => harness?.pool.close())

// A body with multi-byte characters and escapes, so that a re-encoding (not the received bytes) would show.
const frameOf = () =>
  signed(bodhi, { i: ++i, timestamp: Date.now(), msg: { note: 'é€😀 "q" \\ \u0001', n: i } })

function envelopeBytes(result: VerifyResult | undefined): Buffer {
  if (!result?.ok) throw new Error(`rejected: ${JSON.stringify(result)}`)
  const { message } = result
  expect(Object.isFrozen(message)).toBe(true)
  expect(message.envelope).toBe(message.envelope) // decoded once, the same text on every read
  return Buffer.from(message.envelope, 'utf8')
}

describe('VerifiedMessage.envelope', () => {
  it('is the frame, byte for byte, from EnvelopeVerifier.verify (Buffer, string, offset view)', () => {
    const verifier = new EnvelopeVerifier({ trustAnchors: pki.anchors, crls: pki.crls })
    const [topic, frame] = frameOf()
    expect(envelopeBytes(verifier.verify(topic, frame)).equals(frame)).toBe(true)
    const [topic2, frame2] = frameOf()
    expect(envelopeBytes(verifier.verify(topic2, frame2.toString('utf8'))).equals(frame2)).toBe(
      true,
    )
    const [topic3, frame3] = frameOf()
    const padded = Buffer.concat([Buffer.from('xx'), frame3, Buffer.from('yy')])
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 2, frame3.length)
    expect(envelopeBytes(verifier.verify(topic3, view)).equals(frame3)).toBe(true)
  })

  it('is the frame, byte for byte, through an InlineVerifier', () => {
    const results: VerifyResult[] = []
    const inline = new InlineVerifier(new EnvelopeVerifier({ trustAnchors: pki.anchors }))
    inline.deliverTo({ onResult: (result) => results.push(result), onLost: () => undefined })
    const [topic, frame] = frameOf()
    inline.submit(Buffer.from(topic), frame)
    expect(envelopeBytes(results[0]).equals(frame)).toBe(true)
  })

  it('is the frame, byte for byte, for every message of a batch verified by the worker pool', async () => {
    const messages = Array.from({ length: 20 }, frameOf)
    const results = await harness.verify(messages)
    expect(results).toHaveLength(messages.length)
    results.forEach((result, index) => {
      expect(envelopeBytes(result).equals(messages[index]![1])).toBe(true)
    })
  })
})
