/**
 * The size limits, at their edges: an envelope frame of exactly 1 MiB and a topic of exactly 255 bytes are
 * judged like any other message; one byte more is `oversize`, checked before anything is parsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { Pki } from '../fixtures/pki.js'
import { openAttackKit } from './attack-kit.js'
import { expectReason, verifyLines, type Workspace } from './cli-runner.js'
import { envelopeMembers, signedFrame } from './forge-envelope.js'
import type { PkiFiles } from './pki-files.js'

const MAX_ENVELOPE = 1_048_576
const MAX_TOPIC = 255

let pki: Pki
let workspace: Workspace
let files: PkiFiles

/** A signed frame of exactly `bytes` bytes (padding in msg), on `topic`. */
function frameOfSize(bytes: number, topic = 'org.fedoraproject.prod.bodhi.update'): Buffer {
  const members = (pad: string) => ({
    ...envelopeMembers(Date.now(), pki.chain),
    topic,
    msg: { pad },
  })
  const probe = signedFrame(members(''), pki.leafKey)
  // ES256 signatures have a fixed length, so the frame grows exactly with the padding.
  const frame = signedFrame(members('x'.repeat(bytes - probe.length)), pki.leafKey)
  expect(frame.length).toBe(bytes)
  return frame
}

/** A valid topic of exactly `bytes` bytes. */
const topicOfSize = (bytes: number) => `org.${'a'.repeat(bytes - 'org.'.length)}`

beforeAll(async () => {
  ;({ pki, workspace, files } = await openAttackKit('fedmsg-size-limits-'))
})

afterAll(() => workspace?.remove())

describe('size limits (fedmsg verify)', () => {
  it('an envelope frame of exactly 1 MiB verifies; 1 MiB + 1 byte → oversize', async () => {
    const lines = [frameOfSize(MAX_ENVELOPE), frameOfSize(MAX_ENVELOPE + 1)]
    const { verdicts } = await verifyLines(workspace, lines, ['--ca', files.root])
    expect(verdicts[0]).toMatchObject({ ok: true })
    expectReason(verdicts[1], 'oversize')
  })
})

describe('size limits (library verifier: topic frames of any length)', () => {
  const verify = (topic: string, frame: Buffer) =>
    new EnvelopeVerifier({ trustAnchors: pki.anchors }).verify(topic, frame)

  it('a topic of exactly 255 bytes verifies; a 256-byte topic frame → oversize', () => {
    const topic = topicOfSize(MAX_TOPIC)
    expect(verify(topic, frameOfSize(2_000, topic)).ok).toBe(true)
    expectReason(verify(topicOfSize(MAX_TOPIC + 1), frameOfSize(2_000, topic)), 'oversize')
  })

  it('a 256-byte topic signed into the envelope, under a matching frame → oversize, not malformed', () => {
    const members = { ...envelopeMembers(Date.now(), pki.chain), topic: topicOfSize(MAX_TOPIC + 1) }
    expectReason(verify(topicOfSize(MAX_TOPIC + 1), signedFrame(members, pki.leafKey)), 'oversize')
  })

  it('a 256-byte topic signed into the envelope, under a short frame → malformed', () => {
    const members = { ...envelopeMembers(Date.now(), pki.chain), topic: topicOfSize(MAX_TOPIC + 1) }
    expectReason(verify('org.a', signedFrame(members, pki.leafKey)), 'malformed')
  })

  it('a 2 MiB frame is refused as oversize before it is parsed (it is not even JSON)', () => {
    expectReason(verify('org.a', Buffer.alloc(2 * MAX_ENVELOPE, 0xff)), 'oversize')
  })
})
