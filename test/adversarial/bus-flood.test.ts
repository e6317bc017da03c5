/**
 * B4: resource attacks on a hub over real sockets, while a genuine publisher keeps publishing.
 *
 *   attacker XPUB (endpoints.forger) --oversize | 10 000 garbage | 20 000 forged--> hub SUB --> consumer
 *   bodhi Publisher (endpoints.bodhi) --valid, interleaved-------------------------^
 *
 * Nothing is asserted by timing. Memory is measured in this process (the hub runs here): the growth of
 * `process.memoryUsage().rss` across the flood must stay under a generous bound, and the verifier's caches
 * must stay at their caps. The attacker retries when its queue is full (ZMQ_XPUB_NODROP), so TCP flow
 * control, not drops, paces it: every forged message reaches the hub and is judged.
 */
import { setImmediate } from 'node:timers/promises'
import v8 from 'node:v8'
import vm from 'node:vm'
import { XPublisher } from 'zeromq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FedmsgConfig } from '../../src/config/config-types.js'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import type { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import type { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { createHub, type Hub, type HubStats } from '../../src/hub/hub.js'
import { createPublisher, type Publisher } from '../../src/publisher/publisher.js'
import { createVerifierFromConfig } from '../../src/verification/verifier-from-config.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { selfSignedLeaf } from '../fixtures/pki.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, recorder, topicOf, type Bus, type Recorder } from '../transport/bus-fixture.js'
import { b64, envelopeMembers, TOPIC } from './forge-envelope.js'

// What the hub retains is measured, not garbage it has not collected yet: V8 does not see the native memory of
// the OpenSSL certificates a forged chain makes (about 2.5 KB each), so without a collection now and then RSS
// follows the GC's schedule rather than the hub's bounds. A leak survives the collections and still shows.
v8.setFlagsFromString('--expose-gc')
const collectGarbage = vm.runInNewContext('gc') as () => void

const FORGED_PER_KIND = 10_000
const VALID = 100
const MAX_RSS_GROWTH = 100 * 1024 * 1024
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

let bus: Bus
let config: FedmsgConfig
let bodhi: EnvelopeSigner
let verifier: EnvelopeVerifier
let hub: Hub
let updates: Recorder
let publisher: Publisher
let attacker: XPublisher

beforeAll(async () => {
  bus = await makeBus()
  bodhi = bus.signerFor(bus.pki.leaf)
  const forger = await uniqueAddress('tcp', bus.dir)
  config = bus.config({
    endpoints: { bodhi: [await uniqueAddress('tcp', bus.dir)], forger: [forger] },
    heartbeat_interval_ms: 50,
  })
  // ZMQ_XPUB_NODROP: a full queue refuses a send (EAGAIN, see attack()) instead of dropping it, so TCP flow
  // control paces the attacker and every forged message reaches the hub; the bounded ZMQ_SNDHWM keeps the
  // attacker's own queue (in this process, so in the RSS measured) small.
  attacker = new XPublisher({ linger: 0, sendHighWaterMark: 1000, noDrop: true })
  attacker.verbosity = 'allSubs'
  await attacker.bind(forger)
  verifier = createVerifierFromConfig(config, { notBeforeMs: Date.now() })
  updates = recorder(topicOf('bodhi', '>'), 'updates')
  hub = await createHub({ config, verifier, consumers: [updates] })
  publisher = await createPublisher({ name: 'bodhi', config })
  await subscribed(attacker)
  await waitUntil(() => hub.stats().heartbeats > 0, "bodhi's first heartbeat")
}, 30_000)
afterAll(async () => {
  await publisher?.close()
  await hub?.close()
  attacker?.close()
  bus?.cleanup()
})

/** Sends on the attacker's socket, retrying after a turn of the event loop while its queue is full. */
async function attack(frames: readonly (Buffer | string)[]): Promise<void> {
  for (;;) {
    try {
      return await attacker.send([...frames])
    } catch (error) {
      if ((error as { code?: string }).code !== 'EAGAIN') throw error
      await setImmediate()
    }
  }
}

/** Waits for a subscription (0x01) on the attacker's XPUB: the hub is listening. */
async function subscribed(socket: XPublisher): Promise<void> {
  for (;;) {
    const [message] = await socket.receive()
    if (message?.[0] === 1) return
  }
}

/** Sends a valid update from the real publisher and waits until the consumer has it. */
async function publishAndSee(n: number): Promise<void> {
  const count = updates.messages.length
  await publisher.publish('update.request', { n })
  await updates.received(count + 1)
}

describe('B4: oversize frames and many frames', () => {
  it('a frame over max_message_bytes drops the connection (counted); the hub keeps serving, the attacker too once it reconnects', async () => {
    const before = hub.stats()
    await attack([TOPIC, Buffer.alloc(config.max_message_bytes + 1, 0x7b)])
    await waitUntil(() => hub.stats().disconnects > before.disconnects, 'the hub to drop it')
    // Nothing but bodhi's heartbeats (every 50 ms) was judged meanwhile: the oversize frame never was.
    const judged = (stats: HubStats) => stats.received - stats.heartbeats
    expect(judged(hub.stats())).toBe(judged(before))
    await publishAndSee(-1)
    await subscribed(attacker) // the hub reconnected and subscribed again
    const { topic, frame } = bodhi.sign({ topic: topicOf('bodhi', 'after'), msg: {}, i: 1 })
    await attack([topic, frame])
    await waitUntil(() => updates.messages.some((m) => m.topic === topic), 'the next message')
  })

  it('10 000 garbage messages are each counted malformed; a valid one after them is dispatched', async () => {
    const before = hub.stats()
    for (let n = 0; n < 10_000; n++) await attack([TOPIC, `{"garbage":${n}}`])
    await waitUntil(
      () => hub.stats().rejected.malformed === before.rejected.malformed + 10_000,
      'every garbage message judged',
      60_000,
    )
    await publishAndSee(-2)
    expect(hub.stats().verified - before.verified).toBe(
      1 + hub.stats().heartbeats - before.heartbeats,
    )
  }, 90_000)
})

describe('B4: a flood of forged messages while bodhi publishes', () => {
  it(
    `${FORGED_PER_KIND} bad signatures on a valid chain and ${FORGED_PER_KIND} random self-signed chains: every valid message dispatched, memory and caches bounded`,
    { timeout: 180_000 },
    async () => {
      const stranger = (await selfSignedLeaf(bus.pki)).leaf
      const signed = bodhi.sign({ topic: TOPIC, msg: { n: 0 }, i: 1 })
      const envelope = JSON.parse(signed.frame.toString('utf8')) as Record<string, unknown>
      /** bodhi's genuine chain and signature over another body (never the signed { n: 0 }): bad_signature. */
      const badSignature = (n: number) => canonicalBytes({ ...envelope, msg: { n, forged: true } })
      /** A self-signed certificate made unique by its last signature byte pair: a new chain each time. */
      const selfSigned = (n: number) => {
        const der = Buffer.from(stranger.der)
        der.writeUInt16BE(n & 0xffff, der.length - 2)
        const members = envelopeMembers(Date.now(), [der])
        return canonicalBytes({ ...members, signature: b64(Buffer.alloc(64, 1)) })
      }
      const before = hub.stats()
      const updatesBefore = updates.messages.length
      collectGarbage()
      const rssBefore = process.memoryUsage().rss
      let peakRss = rssBefore
      for (let n = 0; n < FORGED_PER_KIND; n++) {
        await attack([TOPIC, badSignature(n)])
        await attack([TOPIC, selfSigned(n)])
        if (n % (FORGED_PER_KIND / VALID) === 0) {
          await publisher.publish('update.request', { n })
          collectGarbage()
          peakRss = Math.max(peakRss, process.memoryUsage().rss)
        }
      }
      await waitUntil(
        () =>
          hub.stats().rejected.bad_signature === before.rejected.bad_signature + FORGED_PER_KIND &&
          hub.stats().rejected.untrusted_chain ===
            before.rejected.untrusted_chain + FORGED_PER_KIND,
        'every forged message judged',
        150_000,
      )
      await updates.received(updatesBefore + VALID)
      collectGarbage()
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
      const growth = peakRss - rssBefore
      console.info(`RSS grew by ${MB(growth)} (peak, garbage collected)`)
      expect(growth, `RSS grew by ${MB(growth)}`).toBeLessThan(MAX_RSS_GROWTH)
      expect(updates.messages.length - updatesBefore).toBe(VALID)
      const rejectedOther = Object.entries(hub.stats().rejected).filter(
        ([reason, count]) =>
          !['bad_signature', 'untrusted_chain', 'malformed'].includes(reason) && count > 0,
      )
      expect(rejectedOther).toEqual([])
      // Only bodhi's chain is verified; refused chains stop at the cap; only accepted ids are remembered.
      const sizes = verifier.cacheSizes()
      expect(sizes.verifiedChains).toBe(1)
      expect(sizes.rejectedChains).toBe(1024)
      expect(sizes.msgIds).toBe(hub.stats().verified)
    },
  )
})
