/**
 * Issue 11, item 3 (slow joiner): a bound publisher's first messages reach a hub that is connecting.
 *
 *   hub SUB --connects, reconnects every reconnect_ivl_ms--> publisher XPUB (binds A, waits for the
 *   subscription) --i=1--> hub: create, publish one, close; 200 times on the same address, 0 lost.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FedmsgConfig } from '../../src/config/config-types.js'
import { createHub } from '../../src/hub/hub.js'
import { createPublisher, type Publisher } from '../../src/publisher/publisher.js'
import { PROTOCOLS, uniqueAddress } from '../fixtures/free-port.js'
import { makeBus, recorder, type Bus } from './bus-fixture.js'

const RUNS = 200

/**
 * libzmq releases a closed socket's listener on its I/O thread, a moment after close(): the next run may find
 * the address still taken, as a restarted service would. Retry that (and only that) for up to 10 s.
 */
async function createBound(config: FedmsgConfig): Promise<Publisher> {
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      return await createPublisher({ name: 'bodhi', config })
    } catch (error) {
      const inUse = (error as { code?: unknown }).code === 'ERR_FEDMSG_ADDRESS_IN_USE'
      if (!inUse || Date.now() > deadline) throw error
      await delay(5)
    }
  }
}

let bus: Bus
beforeAll(async () => {
  bus = await makeBus()
})
afterAll(() => bus.cleanup())

describe.each(PROTOCOLS)('slow joiner over %s', (protocol) => {
  it(`${RUNS} runs of "create, publish one, close" against a connected hub: 0 lost`, async () => {
    const address = await uniqueAddress(protocol, bus.dir)
    // The default linger (close() flushes what was queued); fast reconnects keep the test short.
    const config = bus.config({ endpoints: { bodhi: [address] }, linger_ms: 5_000 })
    const seen = recorder('org.fedoraproject.*.bodhi.>')
    const hub = await createHub({ config, consumers: [seen] })
    try {
      for (let run = 1; run <= RUNS; run++) {
        const publisher = await createBound(config)
        await publisher.publish('update.request', { run })
        await publisher.close()
      }
      await seen.received(RUNS, 30_000)
      expect(seen.messages.map((message) => message.body['run'])).toEqual(
        Array.from({ length: RUNS }, (_, index) => index + 1),
      )
      expect(hub.stats().sequence.gaps).toBe(0)
    } finally {
      await hub.close()
    }
  }, 120_000)
})

describe('close() while the first message waits for the subscription', () => {
  it('a publish() not awaited before close() is still delivered', async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const config = bus.config({ endpoints: { bodhi: [address] }, linger_ms: 5_000 })
    const seen = recorder('org.fedoraproject.*.bodhi.>')
    const hub = await createHub({ config, consumers: [seen] })
    try {
      const publisher = await createPublisher({ name: 'bodhi', config })
      const sent = publisher.publish('update.request', { run: 'unawaited' })
      await publisher.close()
      await sent
      const [message] = await seen.received(1)
      expect(message!.body).toEqual({ run: 'unawaited' })
    } finally {
      await hub.close()
    }
  })
})
