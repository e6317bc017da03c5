/**
 * publisher (this process, active) -> fedmsg relay -> fedmsg store (a real process) -> database, on both
 * backends, while the store is killed (SIGKILL) and stopped (SIGTERM) and started again with messages
 * flowing the whole time: every stored msg_id is stored exactly once, every row is whole (its columns say
 * what its envelope says), and the store resumes writing after each restart.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { createPublisher, type Publisher } from '../../src/publisher/publisher.js'
import { openMessageDatabase } from '../../src/store/message-database.js'
import { makeCliBus, metric, scrapeUntil, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { BACKENDS, makeDatabaseFarm, type DatabaseFarm } from './store-backends.js'

let bus: CliBus
let farm: DatabaseFarm
const children: CliProcess[] = []
const start = (args: readonly string[]) => {
  const child = startCli(args, { cwd: bus.dir })
  children.push(child)
  return child
}
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(() => {
  for (const command of ['relay', 'store']) assertBuilt(command)
  bus = makeCliBus(['bodhi'])
  farm = makeDatabaseFarm()
})
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()))
})
afterAll(async () => {
  bus.cleanup()
  await farm.cleanup()
}, 30_000)

/** Publishes `{ n }` every few ms until stopped; `sent` counts what the relay acknowledged. */
function flow(publisher: Publisher) {
  let stopped = false
  let sent = 0
  const done = (async () => {
    while (!stopped) {
      sent += 1
      await publisher.publish('update.request', { n: sent })
      await new Promise((r) => setTimeout(r, 5))
    }
  })()
  return {
    sent: () => sent,
    stop: async () => {
      stopped = true
      await done
    },
  }
}

describe.each(BACKENDS)('fedmsg store restarted while messages flow (%s)', (backend) => {
  it('SIGKILL and SIGTERM restarts store each msg_id exactly once, each row whole', async () => {
    const db = await farm.url(backend)
    const [inbound, outbound] = [await tcp(), await tcp()]
    const metricsAddress = `127.0.0.1:${await freePort()}`
    const file = bus.writeConfig(`restart-${backend}`, {
      relay_inbound: inbound,
      relay_outbound: outbound,
      store: { db },
    })
    const relay = start(['relay', '--config', file])
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const publisher = await createPublisher({
      name: 'bodhi',
      config: { ...loadConfig({ configPath: file }).config, active: true },
    })
    const traffic = flow(publisher)
    const stored = (text: string) => metric(text, 'fedmsg_store_stored_total') ?? 0
    // Each run counts from 0: it is writing once its own count passes `atLeast`.
    const runStore = async (atLeast: number) => {
      const store = start(['store', '--config', file, '--metrics', metricsAddress])
      await store.line('stderr', (line) => line.includes('"store started"'))
      await scrapeUntil(
        `http://${metricsAddress}/metrics`,
        (text) => stored(text) >= atLeast,
        `${atLeast} messages stored`,
        30_000,
      )
      return store
    }
    try {
      const first = await runStore(20)
      first.child.kill('SIGKILL')
      expect(await first.exited).toBe('SIGKILL')
      const second = await runStore(20)
      second.child.kill('SIGTERM')
      expect(await second.exited).toBe(0)
      const third = await runStore(20)
      await traffic.stop()
      // The last message acknowledged by the relay reaches the database before the final stop.
      const last = traffic.sent()
      const reader = await openMessageDatabase(db, bus.dir)
      const deadline = Date.now() + 30_000
      while ((await reader.query({ contains: [`"n":${last}}`], limit: 1 })).length === 0) {
        if (Date.now() > deadline) throw new Error(`message ${last} was never stored`)
        await new Promise((r) => setTimeout(r, 50))
      }
      third.child.kill('SIGTERM')
      expect(await third.exited).toBe(0)

      const rows = await reader.query({ order: 'asc', limit: 1_000_000 })
      await reader.close()
      expect(rows.length).toBeGreaterThanOrEqual(60)
      expect(new Set(rows.map((r) => r.msgId)).size).toBe(rows.length)
      const numbers = rows.map((r) => (JSON.parse(r.envelope) as { msg: { n: number } }).msg.n)
      expect(new Set(numbers).size).toBe(rows.length)
      for (const row of rows) {
        const envelope = JSON.parse(row.envelope) as { msg_id: string; topic: string; i: number }
        expect({ msgId: row.msgId, topic: row.topic, i: row.i, signer: row.signer }).toEqual({
          msgId: envelope.msg_id,
          topic: envelope.topic,
          i: envelope.i,
          signer: 'bodhi',
        })
      }
    } finally {
      await traffic.stop()
      await publisher.close()
    }
  }, 180_000)
})
