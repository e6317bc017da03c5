/**
 * The verifier reads frames in place unless another thread could write them (src/crypto/envelope/envelope-verifier.ts):
 * every way a caller may hand over the frames verifies the same, and nothing it returns shares the caller's
 * bytes.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { makePki, type Pki } from '../fixtures/pki.js'

const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'
let pki: Pki

beforeAll(async () => {
  pki = await makePki('es256')
})

function signed() {
  const signer = new EnvelopeSigner({ certificates: pki.chain, privateKey: pki.leafKey })
  return signer.sign({ topic: TOPIC, msg: { update: 'bodhi-7.2.1-1.fc40' }, i: 1 }).frame
}

const verifier = () => new EnvelopeVerifier({ trustAnchors: pki.anchors, crls: pki.crls })

/** `bytes` at offset 3 of a larger plain ArrayBuffer, as a Uint8Array that is not a Buffer. */
function viewAtOffset(bytes: Uint8Array): Uint8Array {
  const view = new Uint8Array(new ArrayBuffer(bytes.length + 7), 3, bytes.length)
  view.set(bytes)
  return view
}

function inSharedMemory(bytes: Uint8Array): Uint8Array {
  const view = new Uint8Array(new SharedArrayBuffer(bytes.length))
  view.set(bytes)
  return view
}

describe('EnvelopeVerifier.verify frame inputs', () => {
  it.each([
    ['Buffers', (b: Buffer) => b],
    ['strings', (b: Buffer) => b.toString('utf8')],
    ['Uint8Array views at an offset', viewAtOffset],
    ['views of a SharedArrayBuffer', inSharedMemory],
  ])('accepts the frames as %s', (_name, as) => {
    const frame = signed()
    expect(verifier().verify(as(Buffer.from(TOPIC)), as(frame))).toMatchObject({ ok: true })
  })

  it('a verified message keeps its body when the caller reuses the frame buffer', () => {
    const frame = signed()
    const result = verifier().verify(TOPIC, frame)
    frame.fill(0x20)
    expect(result.ok && result.message.body).toEqual({ update: 'bodhi-7.2.1-1.fc40' })
  })
})

describe('verifyMessage (the whole frame list, docs/protocol.md §5 check 1)', () => {
  it('verifies a message of two frames as verify() does', () => {
    const result = verifier().verifyMessage([TOPIC, signed()])
    expect(result.ok).toBe(true)
  })

  it.each([0, 1, 3])('a message of %i frames is malformed', (count) => {
    const frames = [TOPIC, signed(), 'extra'].slice(0, count)
    expect(verifier().verifyMessage(frames)).toMatchObject({ ok: false, reason: 'malformed' })
  })
})
