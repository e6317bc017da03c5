/**
 * fedmsg logger DEALER -> fedmsg relay ROUTER --verify--> PUB -> fedmsg store (a hub) SUB --verify-->
 *   database (SQLite file | real PostgreSQL) -> fedmsg query --json -> fedmsg verify (the stored envelope
 *   still verifies)
 *
 * All real processes on the bundled dev CA, on both backends. The store's subscription settles
 * asynchronously: probe messages go through the real path until one is stored (test/cli/logger-tail.test.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { httpGet, makeCliBus, metric, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, runCli, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { openMessageDatabase } from '../../src/store/message-database.js'
import { BACKENDS, makeDatabaseFarm, row, type DatabaseFarm } from './store-backends.js'

let bus: CliBus
let farm: DatabaseFarm
const children: CliProcess[] = []
const start = (args: readonly string[]) => {
  const child = startCli(args, { cwd: bus.dir })
  children.push(child)
  return child
}
const waitUntilHealthy = async (url: string) => {
  const deadline = Date.now() + 15_000
  while ((await httpGet(url)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`${url} never answered 200`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(() => {
  for (const command of ['relay', 'logger', 'store', 'query', 'verify']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  farm = makeDatabaseFarm()
})
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()))
})
afterAll(async () => {
  bus.cleanup()
  await farm.cleanup()
}, 30_000)

describe.each(BACKENDS)('fedmsg store on a real bus (%s)', (backend) => {
  it('stores each verified message with its envelope; query --json returns envelopes that verify', async () => {
    const db = await farm.url(backend)
    const [inbound, outbound] = [await tcp(), await tcp()]
    const file = bus.writeConfig(`bus-${backend}`, {
      relay_inbound: inbound,
      relay_outbound: outbound,
      store: { db },
    })
    const relay = start(['relay', '--config', file])
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const metricsAddress = `127.0.0.1:${await freePort()}`
    const store = start(['store', '--config', file, '--metrics', metricsAddress])
    await store.line('stderr', (line) => line.includes('"store started"'))
    // Healthy before any message: the database was reached at start.
    await waitUntilHealthy(`http://${metricsAddress}/healthz`)
    const scrape = async () => (await httpGet(`http://${metricsAddress}/metrics`)).body
    const stored = async () => metric(await scrape(), 'fedmsg_store_stored_total') ?? 0
    const send = (args: readonly string[]) =>
      runCli(['logger', '--config', file, ...args], { cwd: bus.dir })
    for (let probe = 1; (await stored()) === 0; probe += 1) {
      expect((await send(['--topic', 'probe', '--message', `p${probe}`])).code).toBe(0)
      const deadline = Date.now() + 2000
      while ((await stored()) === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50))
      if (probe === 10) expect(await stored()).toBeGreaterThan(0)
    }
    const before = await stored()
    expect((await send(['--topic', 'comment', '--message', 'kept byte for byte: é ✓'])).code).toBe(
      0,
    )
    const deadline = Date.now() + 15_000
    while ((await stored()) === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    expect(await stored()).toBe(before + 1)
    expect((await httpGet(`http://${metricsAddress}/healthz`)).status).toBe(200)

    const query = await runCli(
      ['query', '--db', db, '--topic', 'org.fedoraproject.*.logger.comment', '--json'],
      { cwd: bus.dir },
    )
    expect(query.code, query.stderr).toBe(0)
    const lines = query.stdout.split('\n').filter((l) => l.length > 0)
    expect(lines).toHaveLength(1)
    const found = JSON.parse(lines[0]!)
    expect(found).toMatchObject({
      topic: 'org.fedoraproject.dev.logger.comment',
      signer: 'logger',
      msg: { log: 'kept byte for byte: é ✓' },
    })
    const verified = await runCli(['verify', '--ca', 'pki/root-ca.crt'], {
      cwd: bus.dir,
      stdin: `${found.envelope}\n`,
    })
    expect(verified.code, verified.stdout + verified.stderr).toBe(0)

    // The store keeps each message's summary users and packages: `query --user` finds a bodhi request.
    const request = { agent: 'lmacken', update: { title: 'kernel-6.1-1.fc40', request: 'stable' } }
    const sent = await runCli(
      [
        'logger',
        '--config',
        file,
        '--modname',
        'bodhi',
        '--topic',
        'update.request',
        '--json-input',
      ],
      { cwd: bus.dir, stdin: JSON.stringify(request) },
    )
    expect(sent.code, sent.stderr).toBe(0)
    const byUser = () =>
      runCli(['query', '--db', db, '--user', 'lmacken', '--package', 'kernel', '--pretty'], {
        cwd: bus.dir,
      })
    await expect
      .poll(async () => (await byUser()).stdout, { timeout: 15_000, interval: 200 })
      .toMatch(/bodhi\.update\.request logger lmacken submitted kernel-6\.1-1\.fc40 to stable$/)

    store.child.kill('SIGTERM')
    expect(await store.exited).toBe(0)
    expect(store.stderr.join('\n')).toContain('"store stopped"')
  }, 90_000)
})

describe.each(BACKENDS)('fedmsg store --retain (%s)', (backend) => {
  it('deletes messages older than the retention at start, keeps the rest', async () => {
    const db = await farm.url(backend)
    const seed = await openMessageDatabase(db, bus.dir)
    const now = Date.now()
    await seed.insert([
      row({ msgId: 'ancient', timestamp: now - 40 * 86_400_000 }),
      row({ msgId: 'recent', timestamp: now - 86_400_000 }),
    ])
    const file = bus.writeConfig(`retain-${backend}`, { relay_outbound: await tcp() })
    const store = start(['store', '--config', file, '--db', db, '--retain', '30d'])
    const pruned = await store.line('stderr', (line) => line.includes('"store pruned"'))
    expect(JSON.parse(pruned)).toMatchObject({ deleted: 1 })
    expect((await seed.query({ limit: 10 })).map((r) => r.msgId)).toEqual(['recent'])
    await seed.close()
  })
})

describe('fedmsg store usage', () => {
  it('a --db that is neither sqlite: nor postgres:// is a configuration error (exit 2) that names store.db', async () => {
    const run = await runCli(['store', '--db', 'mysql://root:hunter2@db/fedmsg'], { cwd: bus.dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('store.db')
    expect(run.stderr).not.toContain('hunter2')
  })

  it('a --retain that is not a number and a unit is a usage error (exit 2) naming --retain', async () => {
    const run = await runCli(['store', '--retain', 'forever'], { cwd: bus.dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--retain')
  })
})
