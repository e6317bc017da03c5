/**
 * B2: a compromised relay. It holds genuine messages (signed by bodhi's real key) and forwards, in place of
 * each one, a tampered copy, then the genuine message, then the genuine message again.
 *
 *   bodhi (signs) --> evil relay XPUB --[tampered, genuine, genuine]--> hub SUB --> consumer
 *
 * The hub must refuse the tampered copy with the reason of the case and the duplicate as `replay`, and hand
 * the genuine message to its consumer exactly once, unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner, SignedEnvelope } from '../../src/crypto/envelope/envelope-signer.js'
import type { RejectReason } from '../../src/errors.js'
import { createHub, type Hub } from '../../src/hub/hub.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import {
  makeBus,
  rawPublisher,
  recorder,
  topicOf,
  type Bus,
  type Recorder,
} from '../transport/bus-fixture.js'
import { editFrame, replaceBytes } from './forge-envelope.js'

type Frames = readonly (Buffer | string)[]

let bus: Bus
let bodhi: EnvelopeSigner
let hub: Hub
let seen: Recorder
let relay: Awaited<ReturnType<typeof rawPublisher>>
let i = 0

beforeAll(async () => {
  bus = await makeBus()
  bodhi = bus.signerFor(bus.pki.leaf)
  const address = await uniqueAddress('tcp', bus.dir)
  relay = await rawPublisher(address)
  seen = recorder('org.fedoraproject.>')
  hub = await createHub({
    config: bus.config({ relay_outbound: address }),
    consumers: [seen],
  })
  await relay.subscribed()
})
afterAll(async () => {
  await hub?.close()
  relay?.socket.close()
  bus?.cleanup()
})

const genuine = (): SignedEnvelope =>
  bodhi.sign({
    topic: topicOf('bodhi', 'update.request'),
    msg: { update: 'FEDORA-2024-7', karma: 3 },
    i: ++i,
    headers: { trace: 'abc' },
  })

const CASES: readonly {
  name: string
  reason: RejectReason
  tamper: (m: SignedEnvelope) => Frames
}[] = [
  {
    name: 'one byte of the body changed (karma 3 → 4)',
    reason: 'bad_signature',
    tamper: (m) => [m.topic, replaceBytes(m.frame, '"karma":3', '"karma":4')],
  },
  {
    name: 'one byte of the timestamp changed',
    reason: 'bad_signature',
    tamper: (m) => [
      m.topic,
      editFrame(m.frame, (e) => void (e.timestamp = Number(e.timestamp) - 1)),
    ],
  },
  {
    name: 'a space inserted (the frame is no longer canonical)',
    reason: 'malformed',
    tamper: (m) => [m.topic, replaceBytes(m.frame, '"karma":3', '"karma": 3')],
  },
  {
    name: "re-routed under koji's topic frame",
    reason: 'topic_mismatch',
    tamper: (m) => [topicOf('koji', 'build.complete'), m.frame],
  },
  {
    name: 're-routed under a prefix of its topic (what a prefix subscription matches)',
    reason: 'topic_mismatch',
    tamper: (m) => [topicOf('bodhi', 'update'), m.frame],
  },
  {
    name: 'member dropped: headers (optional, but signed)',
    reason: 'bad_signature',
    tamper: (m) => [m.topic, editFrame(m.frame, (e) => void delete e.headers)],
  },
  {
    name: 'member dropped: i',
    reason: 'malformed',
    tamper: (m) => [m.topic, editFrame(m.frame, (e) => void delete e.i)],
  },
  {
    name: 'member dropped: signature',
    reason: 'malformed',
    tamper: (m) => [m.topic, editFrame(m.frame, (e) => void delete e.signature)],
  },
  {
    name: 'x5c member cut: the intermediate dropped',
    reason: 'untrusted_chain',
    tamper: (m) => [
      m.topic,
      editFrame(m.frame, (e) => void (e.x5c = (e.x5c as string[]).slice(0, 1))),
    ],
  },
]

describe('B2: a compromised relay forwards [tampered, genuine, genuine]', () => {
  it.each(CASES)(
    '$name → $reason; the genuine message is dispatched once, the duplicate is a replay',
    async ({ reason, tamper }) => {
      const before = hub.stats()
      const dispatchedBefore = seen.messages.length
      const message = genuine()
      for (const frames of [
        tamper(message),
        [message.topic, message.frame],
        [message.topic, message.frame],
      ]) {
        await relay.send(frames)
      }
      await waitUntil(() => hub.stats().received === before.received + 3, 'three messages')
      const after = hub.stats()
      expect(after.rejected[reason]).toBe(before.rejected[reason] + 1)
      expect(after.rejected.replay).toBe(before.rejected.replay + 1)
      expect(after.verified).toBe(before.verified + 1)
      await seen.received(dispatchedBefore + 1)
      const delivered = seen.messages.slice(dispatchedBefore)
      expect(delivered).toHaveLength(1)
      expect(delivered[0]).toMatchObject({
        topic: topicOf('bodhi', 'update.request'),
        body: { update: 'FEDORA-2024-7', karma: 3 },
        headers: { trace: 'abc' },
        i,
        signer: { name: 'bodhi' },
      })
    },
  )

  it('the same message duplicated ten times is dispatched once; nine replays counted', async () => {
    const before = hub.stats()
    const dispatchedBefore = seen.messages.length
    const message = genuine()
    for (let n = 0; n < 10; n++) await relay.send([message.topic, message.frame])
    await waitUntil(() => hub.stats().received === before.received + 10, 'ten messages')
    expect(hub.stats().rejected.replay).toBe(before.rejected.replay + 9)
    expect(seen.messages.length).toBe(dispatchedBefore + 1)
  })
})
