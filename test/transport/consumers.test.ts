/**
 * raw XPUB (signed by bodhi) -> hub SUB -> verify -> per-consumer bounded queue -> consume()
 * A consumer that throws, hangs or lags only hurts itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import type { Consumer } from '../../src/hub/consumer.js'
import { createHub, type Hub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, rawPublisher, recorder, topicOf, type Bus } from './bus-fixture.js'

let bus: Bus
let bodhi: EnvelopeSigner
let i = 0
const open: { close(): Promise<void> }[] = []
const sockets: { close(): void }[] = []

beforeAll(async () => {
  bus = await makeBus()
  bodhi = bus.signerFor(bus.pki.leaf)
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()))
  for (const socket of sockets.splice(0)) socket.close()
})
afterAll(() => bus.cleanup())

/** A hub with `consumers`, fed by a raw publisher the test signs for. */
async function hubWith(consumers: Consumer[]) {
  const address = await uniqueAddress('tcp', bus.dir)
  const source = await rawPublisher(address)
  sockets.push(source.socket)
  const hub = await createHub({
    config: bus.config({ endpoints: { bodhi: [address] } }),
    consumers,
  })
  open.push(hub)
  await source.subscribed()
  const publish = async (count: number) => {
    for (let n = 0; n < count; n += 1) {
      const { topic, frame } = bodhi.sign({ topic: topicOf('bodhi', 'update'), msg: { n }, i: ++i })
      await source.send([topic, frame])
    }
  }
  return { hub, publish }
}

const consumerStats = (hub: Hub, name: string) => hub.stats().consumers[name]!

describe('consumer isolation', () => {
  it('a throwing and a hanging consumer do not block another consumer', async () => {
    const signals: AbortSignal[] = []
    const thrower: Consumer = {
      name: 'thrower',
      topic: 'org.fedoraproject.>',
      consume() {
        throw new Error('consumer bug')
      },
    }
    const hanger: Consumer = {
      name: 'hanger',
      topic: 'org.fedoraproject.>',
      timeoutMs: 100,
      consume: (_message, { signal }) => {
        signals.push(signal)
        return new Promise<void>(() => undefined)
      },
    }
    const good = recorder('org.fedoraproject.>', 'good')
    const { hub, publish } = await hubWith([thrower, hanger, good])

    await publish(3)

    expect((await good.received(3)).map((m) => m.body)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }])
    await waitUntil(() => consumerStats(hub, 'hanger').timeouts === 3, 'three hanger timeouts')
    expect(consumerStats(hub, 'thrower')).toMatchObject({ errors: 3, completed: 0 })
    expect(consumerStats(hub, 'good')).toMatchObject({ completed: 3, errors: 0, timeouts: 0 })
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true, true])
  })

  it("a slow consumer's queue stays bounded: overflow is dropped and counted", async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: Consumer = {
      name: 'slow',
      topic: 'org.fedoraproject.>',
      queueSize: 2,
      consume: () => gate,
    }
    const fast = recorder('org.fedoraproject.>', 'fast')
    const { hub, publish } = await hubWith([slow, fast])

    await publish(10)
    await fast.received(10)

    // One message in consume(), two waiting, seven dropped.
    expect(consumerStats(hub, 'slow')).toMatchObject({ dispatched: 3, dropped: 7, queueDepth: 2 })
    release()
    await waitUntil(
      () => consumerStats(hub, 'slow').completed === 3,
      'the slow consumer to catch up',
    )
    expect(consumerStats(hub, 'slow').queueDepth).toBe(0)
  })

  it('close() discards queued messages (counted as dropped) and aborts the call in progress', async () => {
    let signal: AbortSignal | undefined
    const stuck: Consumer = {
      name: 'stuck',
      topic: 'org.fedoraproject.>',
      timeoutMs: 60_000,
      consume: (_message, context) => {
        signal = context.signal
        return new Promise<void>((resolve) =>
          context.signal.addEventListener('abort', () => resolve()),
        )
      },
    }
    const { hub, publish } = await hubWith([stuck])
    await publish(3)
    await waitUntil(() => consumerStats(hub, 'stuck').dispatched === 3, 'three dispatched')
    await hub.close()
    expect(signal?.aborted).toBe(true)
    expect(consumerStats(hub, 'stuck')).toMatchObject({ dropped: 2, queueDepth: 0 })
  })
})

describe('consumer modules', () => {
  it('loads a default class and a named object; the config topic overrides the module topic', async () => {
    const dir = join(bus.dir, 'consumers')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'audit.mjs'),
      `export default class Audit {
        topic = 'org.fedoraproject.*.koji.>'
        consume(message) { globalThis.fedmsgAudit.push(['audit', message.topic]) }
      }\n`,
    )
    writeFileSync(
      join(dir, 'notify.mjs'),
      `export const consumer = {
        topic: 'org.fedoraproject.*.wiki.>',
        consume: (message) => globalThis.fedmsgAudit.push(['notify', message.topic]),
      }\n`,
    )
    const collected: [string, string][] = []
    Object.assign(globalThis, { fedmsgAudit: collected })
    const address = await uniqueAddress('tcp', bus.dir)
    const source = await rawPublisher(address)
    sockets.push(source.socket)
    const config = bus.config({
      endpoints: { bodhi: [address] },
      consumers: [
        { module: join(dir, 'audit.mjs'), topic: 'org.fedoraproject.*.bodhi.>' },
        { module: join(dir, 'notify.mjs'), queue_size: 5, timeout_ms: 50 },
      ],
    })
    const hub = await createHub({ config })
    open.push(hub)
    await source.subscribed()
    for (const suffix of ['update', 'other']) {
      const { topic, frame } = bodhi.sign({ topic: topicOf('bodhi', suffix), msg: {}, i: ++i })
      await source.send([topic, frame])
    }
    await waitUntil(() => collected.length === 2, 'two consumed messages')
    expect(collected).toEqual([
      ['audit', topicOf('bodhi', 'update')],
      ['audit', topicOf('bodhi', 'other')],
    ])
    expect(Object.keys(hub.stats().consumers)).toEqual(['audit', 'notify'])
  })

  it('a module without a consumer is a ConfigInvalid naming the entry', async () => {
    const file = join(bus.dir, 'empty-consumer.mjs')
    writeFileSync(file, 'export const nothing = 1\n')
    const config = bus.config({ consumers: [{ module: file }] })
    await expect(createHub({ config })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      key: 'consumers[0].module',
    })
  })
})

describe('heartbeats', () => {
  it('reach only consumers whose pattern names heartbeat topics', async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const config = bus.config({ endpoints: { bodhi: [address] }, heartbeat_interval_ms: 20 })
    const everything = recorder('org.fedoraproject.>', 'everything')
    const beats = recorder('org.fedoraproject.*.*.heartbeat', 'beats')
    const hub = await createHub({ config, consumers: [everything, beats] })
    open.push(hub)
    const publisher = await createPublisher({ name: 'bodhi', config })
    open.push(publisher)

    const [first, second] = await beats.received(2)
    expect(first!.topic).toBe(topicOf('bodhi', 'heartbeat'))
    expect(second!.body).toEqual({ last_i: first!.i })
    expect(everything.messages).toEqual([])
    expect(hub.stats().heartbeats).toBeGreaterThanOrEqual(2)
  })
})
