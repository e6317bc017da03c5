/**
 * FrameSubscriber's receive loop under a backlog: it must give the event loop turns (timers, I/O) while
 * messages keep coming, and close() must end it cleanly whatever it is doing.
 *
 *   XPUB --200 messages--> SUB (FrameSubscriber.run, a handler costing 1 ms of CPU each)
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../src/config/config-types.js'
import { tuningFromConfig } from '../../src/transport/socket-options.js'
import { FrameSubscriber } from '../../src/transport/subscriber.js'
import { freePort } from '../fixtures/free-port.js'
import { rawPublisher } from './bus-fixture.js'

const BACKLOG = 200
const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

/** A subscriber with BACKLOG messages sent to it before its loop starts. */
async function subscriberWithBacklog() {
  const address = `tcp://127.0.0.1:${await freePort()}`
  const publisher = await rawPublisher(address)
  cleanups.push(() => publisher.socket.close())
  const subscriber = new FrameSubscriber({
    addresses: [address],
    prefixes: ['t'],
    tuning: tuningFromConfig(DEFAULT_CONFIG),
  })
  cleanups.push(() => subscriber.close())
  await publisher.subscribed()
  for (let n = 0; n < BACKLOG; n++) await publisher.send(['t', `${n}`])
  return subscriber
}

/** Stands for verification: 1 ms of CPU without a turn of the event loop. */
function busy(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until);
}

describe('FrameSubscriber receive loop', () => {
  it('gives the event loop a turn while a backlog is being handled: a timer fires long before the end', async () => {
    const subscriber = await subscriberWithBacklog()
    let handled = 0
    let handledWhenTimerFired: number | undefined
    const done = new Promise<void>((resolve) => {
      void subscriber.run({
        onMessage() {
          busy(1)
          handled += 1
          if (handled === BACKLOG) resolve()
        },
        onMalformed: () => undefined,
      })
    })
    setTimeout(() => (handledWhenTimerFired = handled), 0)
    await done
    expect(handledWhenTimerFired).toBeDefined()
    expect(handledWhenTimerFired!).toBeLessThan(BACKLOG / 2)
  })

  it('close() while a handler is pending ends run() without an error (no ENOTSOCK)', async () => {
    const subscriber = await subscriberWithBacklog()
    let release: () => void = () => undefined
    let calls = 0
    const loop = subscriber.run({
      onMessage: () => {
        calls += 1
        return new Promise<void>((resolve) => (release = resolve))
      },
      onMalformed: () => undefined,
    })
    await new Promise<void>((resolve) => {
      const check = () => (calls > 0 ? resolve() : setImmediate(check))
      check()
    })
    subscriber.close()
    release()
    await expect(loop).resolves.toBeUndefined()
    expect(calls).toBe(1)
  })
})
