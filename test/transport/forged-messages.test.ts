/**
 * attacker XPUB (endpoints.forger) -X hub SUB: every forged message is verified, dropped and counted by
 * reason; a valid marker sent after it on the same connection proves it was not dispatched later either.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import type { RejectReason } from '../../src/errors.js'
import { createHub, type Hub } from '../../src/hub/hub.js'
import { makePki } from '../fixtures/pki.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, rawPublisher, recorder, topicOf, type Bus, type Recorder } from './bus-fixture.js'

type Frames = readonly (Buffer | string)[]

let bus: Bus
let policyFile: string
let bodhi: EnvelopeSigner
let koji: EnvelopeSigner
let stranger: EnvelopeSigner
const topic = topicOf('bodhi', 'update.request')
let i = 0
const sign = (signer: EnvelopeSigner, overrides: { topic?: string; timestamp?: number } = {}) =>
  signer.sign({
    topic: overrides.topic ?? topic,
    msg: { update: 'FEDORA-2024-5' },
    i: ++i,
    ...overrides,
  })

beforeAll(async () => {
  bus = await makeBus()
  bodhi = bus.signerFor(bus.pki.leaf)
  koji = bus.signerFor(bus.pki.otherLeaf)
  const otherPki = await makePki('ed25519')
  stranger = new EnvelopeSigner({
    certificates: [otherPki.leaf.der, otherPki.intermediate.der],
    privateKey: otherPki.leaf.privateKey,
  })
  policyFile = join(bus.dir, 'policy.json')
  writeFileSync(
    policyFile,
    JSON.stringify({
      default: 'allow',
      rules: [{ topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] }],
    }),
  )
})
afterAll(() => bus.cleanup())

let hub: Hub
let seen: Recorder
let attacker: Awaited<ReturnType<typeof rawPublisher>>

beforeEach(async () => {
  const address = await uniqueAddress('tcp', bus.dir)
  const config = bus.config({ endpoints: { forger: [address] }, routing_policy: policyFile })
  attacker = await rawPublisher(address)
  seen = recorder('org.fedoraproject.>')
  hub = await createHub({ config, consumers: [seen] })
  await attacker.subscribed()
})
afterEach(async () => {
  await hub.close()
  attacker.socket.close()
})

/** Sends a valid message after the forged ones and waits for it: nothing before it is still in flight. */
async function sendMarker(): Promise<void> {
  const marker = sign(bodhi, { topic: topicOf('bodhi', 'marker') })
  await attacker.send([marker.topic, marker.frame])
  await waitUntil(() => seen.messages.some((m) => m.topic === marker.topic), 'the marker message')
}

function tamperSignature(frame: Buffer): Buffer {
  const text = frame.toString('utf8')
  const at = text.indexOf('"signature":"') + '"signature":"'.length
  const swapped = text[at] === 'A' ? 'B' : 'A'
  return Buffer.from(text.slice(0, at) + swapped + text.slice(at + 1), 'utf8')
}

const cases: { name: string; reason: RejectReason; frames: () => Frames }[] = [
  { name: 'unsigned garbage', reason: 'malformed', frames: () => [topic, 'not an envelope'] },
  { name: 'three frames', reason: 'malformed', frames: () => [topic, sign(bodhi).frame, 'extra'] },
  { name: 'one frame', reason: 'malformed', frames: () => [topic] },
  {
    name: 'tampered signature',
    reason: 'bad_signature',
    frames: () => [topic, tamperSignature(sign(bodhi).frame)],
  },
  {
    name: 're-routed topic frame',
    reason: 'topic_mismatch',
    frames: () => [topicOf('bodhi', 'other'), sign(bodhi).frame],
  },
  {
    name: 'stale timestamp',
    reason: 'stale',
    frames: () => [topic, sign(bodhi, { timestamp: Date.now() - 10 * 60_000 }).frame],
  },
  {
    name: 'signer from another CA',
    reason: 'untrusted_chain',
    frames: () => [topic, sign(stranger).frame],
  },
  {
    name: 'koji on a bodhi topic',
    reason: 'policy_denied',
    frames: () => [topic, sign(koji).frame],
  },
]

describe('forged messages injected into a raw socket', () => {
  it.each(cases)('$name → $reason, never dispatched', async ({ reason, frames }) => {
    await attacker.send(frames())
    await waitUntil(() => hub.stats().rejected[reason] === 1, `one ${reason} rejection`)
    await sendMarker()
    expect(seen.messages.map((m) => m.topic)).toEqual([topicOf('bodhi', 'marker')])
    expect(hub.stats()).toMatchObject({ verified: 1, dispatched: 1 })
  })

  it('a replayed message is dispatched once and counted as replay', async () => {
    const original = sign(bodhi)
    await attacker.send([topic, original.frame])
    await attacker.send([topic, original.frame])
    await waitUntil(() => hub.stats().rejected.replay === 1, 'one replay rejection')
    await sendMarker()
    expect(seen.messages.map((m) => m.topic)).toEqual([topic, topicOf('bodhi', 'marker')])
  })
})

describe('oversize frames', () => {
  it('a frame over max_message_bytes is dropped by libzmq (ZMQ_MAXMSGSIZE), the peer disconnected, then reconnected', async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const config = bus.config({ endpoints: { forger: [address] }, max_message_bytes: 4096 })
    const forger = await rawPublisher(address)
    const small = recorder('org.fedoraproject.>')
    const limited = await createHub({ config, consumers: [small] })
    try {
      await forger.subscribed()
      await forger.send([topic, Buffer.alloc(8192, 0x7b)])
      await waitUntil(() => limited.stats().disconnects > 0, 'the hub to drop the connection')
      expect(limited.stats()).toMatchObject({ received: 0, dispatched: 0 })
      // libzmq ends a session for good on a protocol error; the subscriber connects afresh, and only once.
      await forger.subscribed()
      const after = sign(bodhi, { topic: topicOf('bodhi', 'after') })
      await forger.send([after.topic, after.frame])
      await waitUntil(() => limited.stats().dispatched === 1, 'the next message')
      expect(small.messages.map((m) => m.topic)).toEqual([after.topic])
      expect(limited.stats().received).toBe(1)
    } finally {
      await limited.close()
      forger.socket.close()
    }
  })
})
