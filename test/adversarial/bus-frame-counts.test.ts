/**
 * B1: messages that are not exactly [topic, envelope], sent on real sockets into a hub and into a relay.
 *
 *   attacker XPUB --[1 | 3 | 10 frames]--X hub SUB           counted malformed, never dispatched
 *   attacker XPUB --[1 | 3 | 10 frames]--X relay upstream SUB counted malformed, never forwarded
 *   attacker DEALER --[1 | 2 | 4 | 10 frames]--> relay ROUTER --> ack rejected:malformed, never forwarded
 *
 * After each attack a valid message on the same path must still arrive: the component keeps serving.
 */
import { Dealer } from 'zeromq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { createHub, type Hub } from '../../src/hub/hub.js'
import { createRelay, type Relay } from '../../src/relay/relay.js'
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

type Attacker = Awaited<ReturnType<typeof rawPublisher>>

let bus: Bus
let bodhi: EnvelopeSigner
let i = 0
const sign = (suffix = 'update.request') =>
  bodhi.sign({ topic: topicOf('bodhi', suffix), msg: { n: ++i }, i })

/** [topic, envelope] plus or minus frames: `count` frames, starting with a genuine message's. */
function framesOf(count: number): Buffer[] {
  const { topic, frame } = sign()
  const frames = [Buffer.from(topic), frame]
  while (frames.length < count) frames.push(Buffer.from(`extra-${frames.length}`))
  return frames.slice(0, count)
}

beforeAll(async () => {
  bus = await makeBus()
  bodhi = bus.signerFor(bus.pki.leaf)
})
afterAll(() => bus.cleanup())

describe('B1: frame counts into the hub', () => {
  let hub: Hub
  let seen: Recorder
  let attacker: Attacker
  beforeAll(async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    attacker = await rawPublisher(address)
    seen = recorder('org.fedoraproject.>')
    hub = await createHub({
      config: bus.config({ endpoints: { forger: [address] } }),
      consumers: [seen],
    })
    await attacker.subscribed()
  })
  afterAll(async () => {
    await hub.close()
    attacker.socket.close()
  })

  it.each([1, 3, 10])(
    '%i frames → malformed, never dispatched; a valid message after it is',
    async (count) => {
      const before = hub.stats()
      await attacker.send(framesOf(count))
      const marker = sign('marker')
      await attacker.send([marker.topic, marker.frame])
      await waitUntil(() => hub.stats().received === before.received + 2, 'both messages')
      const after = hub.stats()
      expect(after.rejected.malformed).toBe(before.rejected.malformed + 1)
      expect(after.dispatched).toBe(before.dispatched + 1)
      expect(seen.messages.at(-1)!.topic).toBe(marker.topic)
      expect(seen.messages.every((m) => m.topic === marker.topic)).toBe(true)
    },
  )
})

describe('B1: frame counts into the relay', () => {
  let relay: Relay
  let hub: Hub
  let seen: Recorder
  let upstream: Attacker
  let dealer: Dealer
  beforeAll(async () => {
    const upstreamAddress = await uniqueAddress('tcp', bus.dir)
    upstream = await rawPublisher(upstreamAddress)
    const config = bus.config()
    relay = await createRelay({
      inbound: await uniqueAddress('tcp', bus.dir),
      outbound: await uniqueAddress('tcp', bus.dir),
      upstream: [upstreamAddress],
      config,
    })
    seen = recorder('org.fedoraproject.>')
    hub = await createHub({ config, consumers: [seen], connect: [relay.endpoints.outbound] })
    await upstream.subscribed()
    dealer = new Dealer({ linger: 0, receiveTimeout: 10_000 })
    dealer.connect(relay.endpoints.inbound)
    // The hub is listening once a valid message goes all the way through (PUB drops what no one subscribed to).
    await deliverValid()
  })
  afterAll(async () => {
    dealer.close()
    await hub.close()
    await relay.close()
    upstream.socket.close()
  })

  /** Sends a valid message through the inbound DEALER and waits for its ack. */
  async function sendValid(): Promise<string> {
    const { topic, frame } = sign('marker')
    await dealer.send(['valid', topic, frame])
    const [, status] = await dealer.receive()
    return status!.toString()
  }

  /**
   * Sends a valid message through the relay and waits until the hub dispatched it: the relay keeps forwarding.
   * Until the hub's subscription has reached the relay's PUB, PUB drops the message, so each try waits for the
   * delivery (an event, not a fixed sleep) before sending the next.
   */
  async function deliverValid(): Promise<void> {
    const before = seen.messages.length
    for (let attempt = 1; seen.messages.length === before; attempt++) {
      expect(await sendValid()).toBe('ok')
      const arrived = await waitUntil(() => seen.messages.length > before, 'delivery', 200).then(
        () => true,
        () => false,
      )
      if (!arrived && attempt === 50) throw new Error('the relay forwarded nothing in 50 tries')
    }
  }

  it.each([1, 3, 10])(
    'upstream SUB: %i frames → malformed, never forwarded; valid traffic still flows',
    async (count) => {
      const before = relay.stats()
      await upstream.send(framesOf(count))
      await waitUntil(
        () => relay.stats().rejected.malformed === before.rejected.malformed + 1,
        'the relay to count it',
      )
      expect(relay.stats().forwarded).toBe(before.forwarded)
      await deliverValid()
      expect(hub.stats().rejected.malformed).toBe(0)
    },
  )

  it.each([1, 2, 4, 10])(
    'inbound DEALER: %i frames (the protocol has 3) → ack rejected:malformed, never forwarded',
    async (count) => {
      const before = relay.stats()
      const frames = [Buffer.from('attack'), ...framesOf(count - 1)]
      await dealer.send(frames)
      const [id, status] = await dealer.receive()
      expect([id!.toString(), status!.toString()]).toEqual(['attack', 'rejected:malformed'])
      expect(relay.stats().rejected.malformed).toBe(before.rejected.malformed + 1)
      expect(relay.stats().forwarded).toBe(before.forwarded)
      await deliverValid()
    },
  )
})
