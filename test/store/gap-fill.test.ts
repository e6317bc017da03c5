/**
 * publisher (this process) -> fedmsg relay -> fedmsg store -> SQLite <- fedmsg api <- fedmsg hub (gap_fill)
 *                                        \-> a forwarder (this process) that can drop -> the same hub
 *
 * Every part but the forwarder is a real process. Messages the forwarder drops reach the store but not the
 * hub; the next message the hub gets shows the gap, and the hub fetches the missing ones from the store's API,
 * verifies them on its own path and dispatches them in order, once. A row forged in the database is refused;
 * a store that cannot be reached costs a log line and a counter, never the live messages.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { Publisher as ZmqPub, Subscriber as ZmqSub } from 'zeromq'
import { loadConfig } from '../../src/config/load-config.js'
import { createPublisher, type Publisher } from '../../src/publisher/publisher.js'
import { makeCliBus, metric, scrapeUntil, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { initHubState } from '../fixtures/state-home.js'

let bus: CliBus
const children: CliProcess[] = []
const cleanups: (() => unknown)[] = []
const start = async (args: readonly string[], started: string) => {
  const child = startCli(args, { cwd: bus.dir })
  children.push(child)
  await child.line('stderr', (line) => line.includes(`"${started}"`))
  return child
}
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(() => {
  for (const command of ['relay', 'store', 'api', 'hub']) assertBuilt(command)
  bus = makeCliBus(['bodhi'])
  writeFileSync(
    join(bus.dir, 'append-consumer.mjs'),
    `import { appendFileSync } from 'node:fs'
export default {
  topic: 'org.fedoraproject.*.bodhi.>',
  consume(message) {
    appendFileSync(new URL('./consumed.jsonl', import.meta.url), JSON.stringify(message.body) + '\\n')
  },
}
`,
  )
})
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()))
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})
afterAll(() => bus.cleanup())

const consumed = (): number[] => {
  try {
    return readFileSync(join(bus.dir, 'consumed.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { n: number }).n)
  } catch {
    return []
  }
}

/** SUB from the relay, PUB to the hub; while `open` is false it reads and drops. */
async function forwarder(from: string, to: string) {
  const sub = new ZmqSub()
  const pub = new ZmqPub()
  sub.connect(from)
  sub.subscribe()
  await pub.bind(to)
  const state = { open: true }
  const loop = (async () => {
    for await (const frames of sub) if (state.open) await pub.send(frames)
  })().catch(() => undefined)
  cleanups.push(async () => {
    sub.close()
    pub.close()
    await loop
  })
  return state
}

it('a hub fills a gap from the store in order, once each; a forged row is refused; a store down is logged and counted', async () => {
  const db = join(bus.dir, 'store.db')
  const [inbound, outbound, toHub] = [await tcp(), await tcp(), await tcp()]
  const apiPort = await freePort()
  const [storeMetrics, hubMetrics] = [await freePort(), await freePort()]
  const busConfig = bus.writeConfig('bus', {
    relay_inbound: inbound,
    relay_outbound: outbound,
    store: { db: `sqlite:${db}` },
    heartbeat_interval_ms: 60_000,
  })
  const hubConfig = bus.writeConfig('hub', {
    relay_outbound: toHub,
    consumers: [{ module: './append-consumer.mjs' }],
    gap_fill: { url: `http://127.0.0.1:${apiPort}`, catch_up: false, timeout_ms: 10_000 },
    heartbeat_interval_ms: 60_000,
  })
  await start(['relay', '--config', busConfig], 'relay started')
  await start(
    ['store', '--config', busConfig, '--metrics', `127.0.0.1:${storeMetrics}`, '--batch-size', '1'],
    'store started',
  )
  const api = await start(
    ['api', '--db', `sqlite:${db}`, '--listen', `127.0.0.1:${apiPort}`],
    'api started',
  )
  const gate = await forwarder(outbound, toHub)
  const hub = await start(
    ['hub', '--config', hubConfig, '--metrics', `127.0.0.1:${hubMetrics}`],
    'hub started',
  )
  const publisher: Publisher = await createPublisher({
    name: 'bodhi',
    config: { ...loadConfig({ configPath: busConfig }).config, active: true },
  })
  cleanups.push(() => publisher.close())
  const stored = async (n: number) =>
    scrapeUntil(
      `http://127.0.0.1:${storeMetrics}/metrics`,
      (text) => (metric(text, 'fedmsg_store_stored_total') ?? 0) >= n,
      `${n} stored`,
      30_000,
    )
  const send = async (...ns: number[]) => {
    for (const n of ns) await publisher.publish('update.request', { n })
  }
  const until = (what: string, condition: () => boolean) =>
    hub.until(condition, what, 30_000).catch(() => {
      throw new Error(`${what}: consumed ${JSON.stringify(consumed())}`)
    })
  // Both subscriptions settle asynchronously: probe until the hub and the store have each the first message.
  for (let n = 1; consumed().length === 0; n += 1) {
    await send(-n)
    await new Promise((r) => setTimeout(r, 200))
    if (n === 50) throw new Error('the hub never received a probe')
  }
  await send(1, 2)
  await until('1 and 2 dispatched', () => consumed().includes(2))
  const before = consumed().length

  // Dropped on the way to the hub only; the hub first hears of the gap with message 6.
  gate.open = false
  await send(3, 4, 5)
  const probes = before - 2
  await stored(probes + 5)
  gate.open = true
  await send(6)
  await until('3, 4, 5 gap-filled', () => consumed().includes(5))
  const afterFill = consumed().slice(before)
  expect(afterFill).toEqual([6, 3, 4, 5])

  // A row forged in the database: its body no longer matches its signature.
  gate.open = false
  await send(7, 8, 9)
  await stored(probes + 9)
  const sqlite = new Database(db)
  sqlite
    .prepare(
      `UPDATE messages SET envelope = replace(envelope, '"n":8}', '"n":800}') WHERE envelope LIKE '%"n":8}%'`,
    )
    .run()
  sqlite.close()
  gate.open = true
  await send(10)
  await until('7 and 9 gap-filled', () => consumed().includes(9))
  expect(consumed().slice(before + 4)).toEqual([10, 7, 9])
  const text = await scrapeUntil(
    `http://127.0.0.1:${hubMetrics}/metrics`,
    (body) => metric(body, 'fedmsg_hub_gap_fill_total{outcome="rejected"}') === 1,
    'the forged row refused',
  )
  expect(metric(text, 'fedmsg_hub_gap_fill_total{outcome="filled"}')).toBe(5)
  expect(hub.stderr.join('\n')).toContain('bad_signature')

  // The store's API stops: a gap now stays a gap, logged once, counted, and live messages still flow.
  api.child.kill('SIGTERM')
  await api.exited
  gate.open = false
  await send(11)
  await stored(probes + 11)
  gate.open = true
  await send(12)
  await until('12 dispatched', () => consumed().includes(12))
  await scrapeUntil(
    `http://127.0.0.1:${hubMetrics}/metrics`,
    (body) => metric(body, 'fedmsg_hub_gap_fill_total{outcome="failures"}') === 1,
    'the failed request counted',
  )
  await hub.line('stderr', (line) => line.includes('gap fill: the store cannot be reached'))
  expect(consumed()).not.toContain(11)
  // Each message once, whichever way it came.
  expect(new Set(consumed()).size).toBe(consumed().length)
}, 180_000)

it('a hub killed and restarted catches up from the store: what it missed once, what it had dispatched never again', async () => {
  rmSync(join(bus.dir, 'consumed.jsonl'), { force: true })
  const db = join(bus.dir, 'catch-up.db')
  const [inbound, outbound] = [await tcp(), await tcp()]
  const [apiPort, storeMetrics, hubMetrics] = [await freePort(), await freePort(), await freePort()]
  const busConfig = bus.writeConfig('catch-up-bus', {
    relay_inbound: inbound,
    relay_outbound: outbound,
    store: { db: `sqlite:${db}` },
    heartbeat_interval_ms: 60_000,
  })
  // Not the store's state directory: a hub reads every journal there, and the store's holds what it stored.
  initHubState(join(bus.dir, 'catch-up-hub-state'))
  const hubConfig = bus.writeConfig('catch-up-hub', {
    state_dir: 'catch-up-hub-state',
    relay_outbound: outbound,
    consumers: [{ module: './append-consumer.mjs' }],
    gap_fill: { url: `http://127.0.0.1:${apiPort}` },
    heartbeat_interval_ms: 60_000,
  })
  await start(['relay', '--config', busConfig], 'relay started')
  await start(
    ['store', '--config', busConfig, '--metrics', `127.0.0.1:${storeMetrics}`, '--batch-size', '1'],
    'store started',
  )
  await start(['api', '--db', `sqlite:${db}`, '--listen', `127.0.0.1:${apiPort}`], 'api started')
  const hubArgs = ['hub', '--config', hubConfig, '--metrics', `127.0.0.1:${hubMetrics}`]
  const first = await start(hubArgs, 'hub started')
  const publisher = await createPublisher({
    name: 'bodhi',
    config: { ...loadConfig({ configPath: busConfig }).config, active: true },
  })
  cleanups.push(() => publisher.close())
  const send = async (...ns: number[]) => {
    for (const n of ns) await publisher.publish('update.request', { n })
  }
  for (let n = 1; consumed().length === 0; n += 1) {
    await send(-n)
    await new Promise((r) => setTimeout(r, 200))
    if (n === 50) throw new Error('the hub never received a probe')
  }
  await send(1, 2)
  await first.until(() => consumed().includes(2), '1 and 2 dispatched', 30_000)
  first.child.kill('SIGKILL')
  await first.exited

  await send(3, 4)
  const stored = (n: number) =>
    scrapeUntil(
      `http://127.0.0.1:${storeMetrics}/metrics`,
      (text) => (metric(text, 'fedmsg_store_stored_total') ?? 0) >= n,
      `${n} stored`,
      30_000,
    )
  await stored(consumed().length + 2)
  const second = await start(hubArgs, 'hub started')
  await second.until(() => consumed().includes(4), '3 and 4 caught up', 30_000)
  const text = await scrapeUntil(
    `http://127.0.0.1:${hubMetrics}/metrics`,
    (body) => (metric(body, 'fedmsg_hub_gap_fill_total{outcome="already_seen"}') ?? 0) >= 2,
    'what the first run dispatched refused as seen',
  )
  expect(consumed().filter((n) => n > 0)).toEqual([1, 2, 3, 4])
  expect(new Set(consumed()).size).toBe(consumed().length)
  expect(metric(text, 'fedmsg_hub_gap_fill_total{outcome="requests"}')).toBe(1)
}, 180_000)
