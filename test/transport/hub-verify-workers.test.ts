/**
 * A hub that verifies on worker threads (verify_workers), over real sockets:
 *
 *   bodhi PUB ─┐
 *   koji PUB  ─┼─> hub SUB -> batches -> worker threads -> in order -> replay -> schema -> consumers
 *   attacker  ─┘     (a worker terminated mid-stream: replaced, its messages dropped and counted)
 */
import type { Worker } from 'node:worker_threads'
import { pino } from 'pino'
import { XPublisher } from 'zeromq'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHub, type Hub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { createVerifierFromConfig } from '../../src/verification/verifier-from-config.js'
import { exited, watchWorkers } from '../crypto/pool-fixture.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, recorder, topicOf, type Bus } from './bus-fixture.js'

let bus: Bus
let watch: { readonly started: Worker[]; stop(): void }
const open: { close(): Promise<void> }[] = []
const track = <T extends { close(): Promise<void> }>(thing: T): T => (open.push(thing), thing)

beforeAll(async () => {
  bus = await makeBus()
})
afterEach(async () => {
  watch?.stop()
  await Promise.all(open.splice(0).map((thing) => thing.close()))
})
afterAll(() => bus.cleanup())

describe('verify_workers 2', () => {
  it("dispatches every message of two publishers, each in its publisher's order", async () => {
    const config = bus.config({
      endpoints: {
        bodhi: [await uniqueAddress('tcp', bus.dir)],
        koji: [await uniqueAddress('tcp', bus.dir)],
      },
      heartbeat_interval_ms: 50,
      verify_workers: 2,
    })
    watch = watchWorkers()
    const seen = recorder('org.fedoraproject.>')
    const hub = track(await createHub({ config, consumers: [seen] }))
    expect(watch.started).toHaveLength(2)
    const publishers = await Promise.all(
      ['bodhi', 'koji'].map(async (name) => track(await createPublisher({ name, config }))),
    )
    await waitUntil(() => hub.stats().sequence.publishers === 2, 'both publishers heard')

    const N = 400
    await Promise.all(
      publishers.map(async (publisher) => {
        for (let n = 0; n < N; n++) await publisher.publish('update', { n })
      }),
    )
    await seen.received(2 * N)
    for (const name of ['bodhi', 'koji']) {
      const ns = seen.messages
        .filter((m) => m.signer.name === name)
        .map((m) => (m.body as { n: number }).n)
      expect(ns).toEqual(Array.from({ length: N }, (_, n) => n))
    }
    expect(hub.stats()).toMatchObject({ verifyErrors: 0, sequence: { gaps: 0 } })
  })

  it('a worker terminated mid-stream is replaced and the hub keeps serving; its messages are never dispatched, only counted', async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const config = bus.config({ endpoints: { attacker: [address] }, verify_workers: 2 })
    // ZMQ_SNDHWM 0: no limit and no drops, so every message sent reaches the hub.
    const source = new XPublisher({ linger: 0, sendHighWaterMark: 0 })
    source.verbosity = 'allSubs'
    await source.bind(address)
    open.push({ close: async () => source.close() })
    const logLines: { msg: string; lost?: number }[] = []
    const logger = pino(
      { level: 'error' },
      { write: (line: string) => logLines.push(JSON.parse(line)) },
    )
    watch = watchWorkers()
    let terminated = false
    const seen = recorder(topicOf('bodhi', '>'))
    const hub = track(
      await createHub({
        config,
        logger,
        consumers: [
          seen,
          {
            name: 'saboteur',
            topic: topicOf('bodhi', '>'),
            // On the first delivery the threads still hold a backlog: both are full.
            consume: () => {
              if (!terminated) void watch.started[0]!.terminate()
              terminated = true
            },
          },
        ],
      }),
    )
    await subscribed(source)
    const signer = bus.signerFor(bus.pki.leaf)
    const N = 2000
    const frames = Array.from({ length: N }, (_, n) =>
      signer.sign({ topic: topicOf('bodhi', 'update'), msg: { n }, i: n + 1 }),
    )
    for (const { topic, frame } of frames) await source.send([topic, frame])
    await waitUntil(
      () => seen.messages.length + hub.stats().verifyErrors === N,
      'every message dispatched or counted lost',
    )

    const { verifyErrors } = hub.stats()
    expect(verifyErrors).toBeGreaterThan(0)
    const is = seen.messages.map((m) => m.i)
    expect(is).toEqual([...new Set(is)].sort((a, b) => a - b))
    expect(logLines.filter((line) => line.lost !== undefined)).toEqual([
      expect.objectContaining({ lost: verifyErrors }),
    ])

    await waitUntil(() => watch.started.length === 3, 'the replacement thread')
    const later = signer.sign({ topic: topicOf('bodhi', 'later'), msg: {}, i: N + 1 })
    await source.send([later.topic, later.frame])
    await waitUntil(() => seen.messages.at(-1)?.topic === later.topic, 'a message after the crash')
    expect(hub.stats().verifyErrors).toBe(verifyErrors)
  })

  it('close() ends the hub’s worker threads', async () => {
    watch = watchWorkers()
    const hub = await createHub({ config: bus.config({ verify_workers: 2 }) })
    expect(watch.started).toHaveLength(2)
    await hub.close()
    await Promise.all(watch.started.map(exited))
  })
})

describe('verifying on the main thread', () => {
  it.each([
    ['verify_workers 0', (hubConfig: ReturnType<Bus['config']>) => ({ config: hubConfig })],
    [
      'an explicit verifier',
      (hubConfig: ReturnType<Bus['config']>) => ({
        config: { ...hubConfig, verify_workers: 2 },
        verifier: createVerifierFromConfig(hubConfig),
      }),
    ],
  ])('%s starts no thread', async (_name, options) => {
    watch = watchWorkers()
    const hub: Hub = track(await createHub(options(bus.config({ verify_workers: 0 }))))
    expect(hub.stats().verifyErrors).toBe(0)
    expect(watch.started).toHaveLength(0)
  })
})

/** Waits for a subscription (0x01) on an XPUB: the hub is listening. */
async function subscribed(socket: XPublisher): Promise<void> {
  for (;;) {
    const [message] = await socket.receive()
    if (message?.[0] === 1) return
  }
}
