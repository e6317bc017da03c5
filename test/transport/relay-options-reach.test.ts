/**
 * What a relay's options promise reaches its verifier: `maxMessageBytes` is the verifier's envelope limit too,
 * and `now` is its clock (injected, as a hub's is). Real sockets, real certificates.
 */
import { Dealer } from 'zeromq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRelay, type Relay } from '../../src/relay/relay.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { makeBus, topicOf, type Bus } from './bus-fixture.js'

let bus: Bus
beforeAll(async () => {
  bus = await makeBus()
})
afterAll(() => bus.cleanup())

const TOPIC = topicOf('bodhi', 'update.request')

/** Sends one message to the relay's inbound and returns its acknowledgement. */
async function ack(relay: Relay, frame: Buffer): Promise<string> {
  const dealer = new Dealer({ linger: 0 })
  try {
    dealer.connect(relay.endpoints.inbound)
    await dealer.send(['id-1', TOPIC, frame])
    const [, status] = await dealer.receive()
    return status!.toString()
  } finally {
    dealer.close()
  }
}

async function startRelay(options: { maxMessageBytes?: number; now?: () => number }) {
  return createRelay({
    inbound: await uniqueAddress('tcp', bus.dir),
    outbound: await uniqueAddress('tcp', bus.dir),
    config: bus.config(),
    ...options,
  })
}

const sign = (timestamp: number, msg: Record<string, unknown> = {}) =>
  bus.signerFor(bus.pki.leaf).sign({ topic: TOPIC, msg, i: 1, timestamp }).frame

describe('relay options reach its verifier', () => {
  it('maxMessageBytes above max_message_bytes: an envelope between the two is relayed, not oversize', async () => {
    const relay = await startRelay({ maxMessageBytes: 3 * 1_048_576 })
    try {
      const frame = sign(Date.now(), { blob: 'x'.repeat(1_200_000) })
      expect(frame.length).toBeGreaterThan(bus.config().max_message_bytes)
      expect(await ack(relay, frame)).toBe('ok')
    } finally {
      await relay.close()
    }
  })

  it('now: the verifier reads the injected clock (a message stamped by the real clock is stale then)', async () => {
    const later = Date.now() + 2 * 86_400_000
    const relay = await startRelay({ now: () => later })
    try {
      expect(await ack(relay, sign(later))).toBe('ok')
      expect(await ack(relay, sign(Date.now()))).toBe('rejected:stale')
    } finally {
      await relay.close()
    }
  })
})
