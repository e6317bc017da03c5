/**
 * B4 at the relay: a publisher that sends and never reads its acknowledgements.
 *
 *   attacker DEALER --20 000 messages, acks never read--> relay ROUTER   acks beyond the HWM are dropped
 *   bodhi Publisher --valid, acked---------------------->  relay ROUTER   publish() keeps resolving
 *
 * libzmq's ROUTER (without ZMQ_ROUTER_MANDATORY) drops what a peer's full pipe cannot take instead of
 * blocking the send, so the relay's one inbound loop is never held up by a peer that does not read.
 */
import { Dealer } from 'zeromq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FedmsgConfig } from '../../src/config/config-types.js'
import { createPublisher, type Publisher } from '../../src/publisher/publisher.js'
import { createRelay, type Relay } from '../../src/relay/relay.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, type Bus } from '../transport/bus-fixture.js'

const FLOOD = 20_000

let bus: Bus
let config: FedmsgConfig
let relay: Relay
let publisher: Publisher
let attacker: Dealer

beforeAll(async () => {
  bus = await makeBus()
  config = bus.config({
    relay_inbound: await uniqueAddress('tcp', bus.dir),
    relay_outbound: await uniqueAddress('tcp', bus.dir),
    active: true,
    high_water_mark: 100,
  })
  relay = await createRelay({
    inbound: config.relay_inbound!,
    outbound: config.relay_outbound!,
    config,
  })
  publisher = await createPublisher({ name: 'bodhi', config })
  attacker = new Dealer({ linger: 0, sendHighWaterMark: 0 }) // ZMQ_SNDHWM 0: TCP paces it, nothing dropped
  attacker.connect(config.relay_inbound!)
})
afterAll(async () => {
  attacker?.close()
  await publisher?.close()
  await relay?.close()
  bus?.cleanup()
})

describe('B4: a publisher that never reads', () => {
  it(`${FLOOD} messages whose acks are never read: every one is judged, and a genuine publisher is still acknowledged`, async () => {
    const before = relay.stats()
    const flood = (async () => {
      for (let n = 0; n < FLOOD; n++) {
        await attacker.send([`req-${n}`, 'org.fedoraproject.dev.bodhi.x', `{"n":${n}}`])
      }
    })()
    let acked = 0
    while (relay.stats().rejected.malformed < before.rejected.malformed + FLOOD / 2) {
      await publisher.publish('update.request', { acked })
      acked += 1
    }
    await flood
    await waitUntil(
      () => relay.stats().rejected.malformed === before.rejected.malformed + FLOOD,
      'every flood message judged',
      60_000,
    )
    await publisher.publish('update.request', { acked: 'after' })
    expect(acked).toBeGreaterThan(0)
    expect(relay.stats().forwarded - before.forwarded).toBeGreaterThanOrEqual(acked + 1)
  }, 90_000)
})
