/**
 * The writer under a database that goes away: rows wait in the bounded queue (past the bound they are
 * dropped and counted), the writer retries, and once the database is back everything queued is stored once.
 * PostgreSQL is really stopped and started; the SQLite file's directory really is missing, then created.
 */
import { mkdirSync } from 'node:fs'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openMessageDatabase } from '../../src/store/message-database.js'
import { resolveStoreOptions } from '../../src/store/store-options.js'
import { StoreWriter } from '../../src/store/store-writer.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeDatabaseFarm, row, type DatabaseFarm } from './store-backends.js'

let farm: DatabaseFarm
beforeAll(() => {
  farm = makeDatabaseFarm()
})
afterAll(() => farm.cleanup(), 30_000)

const silent = pino({ level: 'silent' })
const options = resolveStoreOptions({ queueLimit: 5, retryMinMs: 20, retryMaxMs: 200 })

describe('store writer', () => {
  it('batches rows and counts duplicates (sqlite)', async () => {
    const url = await farm.url('sqlite')
    const writer = new StoreWriter(() => openMessageDatabase(url, '/'), options, silent)
    for (const id of ['a', 'b', 'a']) writer.offer(row({ msgId: id }))
    await waitUntil(() => writer.stats().stored + writer.stats().duplicates === 3, 'the batch')
    expect(writer.stats()).toMatchObject({ stored: 2, duplicates: 1, dropped: 0, connected: true })
    await writer.drain(5000)
  })

  it('PostgreSQL stopped: buffers to the bound, counts drops, reconnects, stores the rest once', async () => {
    const url = await farm.url('postgres')
    const server = await farm.postgres()
    const writer = new StoreWriter(() => openMessageDatabase(url, '/'), options, silent)
    writer.offer(row({ msgId: 'before' }))
    await waitUntil(() => writer.stats().stored === 1, 'the first row', 20_000)
    server.stop()
    for (let n = 0; n < 8; n += 1) writer.offer(row({ msgId: `during-${n}` }))
    await waitUntil(() => writer.stats().databaseErrors > 0, 'a failed write', 20_000)
    expect(writer.stats()).toMatchObject({ connected: false, queueDepth: 5, dropped: 3 })
    server.start()
    await waitUntil(() => writer.stats().stored === 6, 'the queued rows', 30_000)
    expect(writer.stats()).toMatchObject({ connected: true, queueDepth: 0, duplicates: 0 })
    await writer.drain(5000)
    const db = await openMessageDatabase(url, '/')
    expect(await db.count({ limit: 1 })).toBe(6)
    await db.close()
  })

  it('SQLite file unreachable at start: retries until it can open it', async () => {
    const dir = (await farm.url('sqlite')).replace(/^sqlite:/, '') + '.d'
    const url = `sqlite:${dir}/fedmsg.db`
    const writer = new StoreWriter(() => openMessageDatabase(url, '/'), options, silent)
    writer.offer(row({ msgId: 'waits' }))
    await waitUntil(() => writer.stats().databaseErrors > 1, 'failed opens')
    expect(writer.stats()).toMatchObject({ connected: false, stored: 0, queueDepth: 1 })
    mkdirSync(dir)
    await waitUntil(() => writer.stats().stored === 1, 'the row')
    await writer.drain(5000)
  })

  it('a stop with the database still down drops what is queued (counted) after the drain timeout', async () => {
    const writer = new StoreWriter(
      () => openMessageDatabase('sqlite:/nonexistent-dir/fedmsg.db', '/'),
      options,
      silent,
    )
    writer.offer(row({ msgId: 'lost' }))
    await waitUntil(() => writer.stats().databaseErrors > 0, 'a failed open')
    await writer.drain(100)
    expect(writer.stats()).toMatchObject({ stored: 0, dropped: 1, queueDepth: 0 })
    writer.offer(row({ msgId: 'after-stop' }))
    expect(writer.stats().dropped).toBe(2)
  })
})
