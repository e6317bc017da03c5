/** The three output styles of `fedmsg tail`, for a verified and for a rejected message. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tailFormatter } from '../../src/cli/tail-format.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { Rejected, VerifiedMessage } from '../../src/crypto/envelope/verified-message.js'
import { makeBus, topicOf, type Bus } from '../transport/bus-fixture.js'

// Now: the fixture certificates are valid from the moment they are made.
const TIMESTAMP = Date.now()
const ISO = new Date(TIMESTAMP).toISOString()
const TOPIC = topicOf('bodhi', 'update.request')
let bus: Bus
let message: VerifiedMessage
const rejected: Rejected = {
  ok: false,
  reason: 'policy_denied',
  detail: 'demo-forger may not publish on this topic',
  topic: TOPIC,
  signer: 'demo-forger',
}

beforeAll(async () => {
  bus = await makeBus()
  const { topic, frame } = bus.signerFor(bus.pki.leaf).sign({
    topic: TOPIC,
    msg: { update: 'python-requests-2.31.0-1.fc40', request: 'stable' },
    i: 7,
    timestamp: TIMESTAMP,
  })
  const verifier = new EnvelopeVerifier({
    trustAnchors: [bus.pki.root.der],
    maxAgeMs: null,
    now: () => TIMESTAMP,
  })
  const result = verifier.verify(topic, frame)
  if (!result.ok) throw new Error(`fixture did not verify: ${result.reason}`)
  message = result.message
})
afterAll(() => bus.cleanup())

describe('tail output', () => {
  it('--terse: one line "time signer topic summary link"', () => {
    const format = tailFormatter('terse')
    expect(format.verified(message)).toBe(
      `${ISO} bodhi ${TOPIC} someone submitted python-requests-2.31.0-1.fc40 to stable\n`,
    )
    expect(format.rejected(rejected, TIMESTAMP)).toBe(
      `${ISO} rejected:policy_denied ${TOPIC} demo-forger\n`,
    )
  })

  it('--json: one object per line, {ok, topic, signer, msg_id, i, timestamp, body} or {ok:false, reason, detail, topic?, signer?}', () => {
    const format = tailFormatter('json')
    expect(JSON.parse(format.verified(message))).toEqual({
      ok: true,
      topic: TOPIC,
      signer: 'bodhi',
      msg_id: message.msgId,
      i: 7,
      timestamp: TIMESTAMP,
      body: { update: 'python-requests-2.31.0-1.fc40', request: 'stable' },
    })
    expect(JSON.parse(format.rejected(rejected, TIMESTAMP))).toEqual({
      ok: false,
      reason: 'policy_denied',
      detail: 'demo-forger may not publish on this topic',
      topic: TOPIC,
      signer: 'demo-forger',
    })
    expect(JSON.parse(format.rejected({ ok: false, reason: 'malformed', detail: 'x' }, 0))).toEqual(
      {
        ok: false,
        reason: 'malformed',
        detail: 'x',
      },
    )
    expect(format.verified(message).split('\n')).toHaveLength(2)
  })

  it('--pretty: header, signer identity, indented body; a rejection says the signer is not proven', () => {
    const format = tailFormatter('pretty')
    expect(format.verified(message)).toBe(
      `${ISO}  ${TOPIC}\n` +
        `  signed by bodhi (ES256, serial ${message.signer.serial})  i=7  msg_id=${message.msgId}\n` +
        // The body as signed: JCS orders the members.
        '  {\n    "request": "stable",\n    "update": "python-requests-2.31.0-1.fc40"\n  }\n\n',
    )
    expect(format.rejected(rejected, TIMESTAMP)).toBe(
      `${ISO}  REJECTED policy_denied  ${TOPIC}\n` +
        '  claims to be signed by demo-forger (not proven)\n' +
        '  demo-forger may not publish on this topic\n\n',
    )
  })
})
