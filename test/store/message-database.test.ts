/**
 * One schema and one API over both backends: the same cases on SQLite and on a real PostgreSQL server.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openMessageDatabase, type MessageDatabase } from '../../src/store/message-database.js'
import { BACKENDS, makeDatabaseFarm, row, type DatabaseFarm } from './store-backends.js'

let farm: DatabaseFarm
beforeAll(() => {
  farm = makeDatabaseFarm()
})
afterAll(() => farm.cleanup(), 30_000)

const open = async (backend: (typeof BACKENDS)[number]): Promise<MessageDatabase> =>
  openMessageDatabase(await farm.url(backend), process.cwd())

describe.each(BACKENDS)('message database on %s', (backend) => {
  it('stores a batch in one transaction and reads each row back by msg_id, envelope unchanged', async () => {
    const db = await open(backend)
    const envelope = '{"msg":{"text":"é ✓ \\u0000"},  "spacing":"kept"}'
    expect(await db.insert([row({ msgId: 'a', envelope, i: 7 }), row({ msgId: 'b' })])).toEqual({
      inserted: 2,
      duplicates: 0,
    })
    expect(await db.byMsgId('a')).toMatchObject({
      msgId: 'a',
      topic: 'org.fedoraproject.dev.bodhi.update',
      signer: 'bodhi',
      i: 7,
      certSha256: 'ab'.repeat(32),
      timestamp: Date.UTC(2026, 11, 6, 12),
      receivedAt: Date.UTC(2026, 11, 6, 12, 0, 1),
      envelope,
    })
    expect(await db.byMsgId('missing')).toBeUndefined()
    await db.close()
  })

  it('a duplicate msg_id is counted, never stored twice (across batches and within one)', async () => {
    const db = await open(backend)
    await db.insert([row({ msgId: 'x', i: 1 })])
    expect(
      await db.insert([row({ msgId: 'x', i: 2 }), row({ msgId: 'y' }), row({ msgId: 'y', i: 3 })]),
    ).toEqual({ inserted: 1, duplicates: 2 })
    expect(await db.count({ limit: 100 })).toBe(2)
    expect((await db.byMsgId('x'))?.i).toBe(1)
    expect((await db.byMsgId('y'))?.i).toBe(1)
    await db.close()
  })

  it('filters by topic pattern, signer, contains and time; not_* variants exclude', async () => {
    const db = await open(backend)
    const t = Date.UTC(2026, 0, 1)
    await db.insert([
      row({ msgId: '1', topic: 'org.fedoraproject.prod.bodhi.update.request', timestamp: t }),
      row({
        msgId: '2',
        topic: 'org.fedoraproject.prod.koji.build',
        signer: 'koji',
        timestamp: t + 1,
      }),
      row({ msgId: '3', topic: 'org.fedoraproject.dev.bodhi.update', timestamp: t + 2 }),
      row({ msgId: '4', topic: 'org.fedoraproject.prod.bodhi', timestamp: t + 3 }),
    ])
    const ids = async (filter: Parameters<MessageDatabase['query']>[0]) =>
      (await db.query(filter)).map((r) => r.msgId)
    expect(await ids({ topics: ['org.fedoraproject.*.bodhi.>'], limit: 10 })).toEqual(['3', '1'])
    expect(await ids({ topics: ['org.fedoraproject.prod.koji.build'], limit: 10 })).toEqual(['2'])
    expect(await ids({ notTopics: ['org.fedoraproject.*.bodhi.>'], limit: 10 })).toEqual(['4', '2'])
    expect(await ids({ signers: ['koji'], limit: 10 })).toEqual(['2'])
    expect(await ids({ notSigners: ['bodhi'], limit: 10 })).toEqual(['2'])
    expect(await ids({ contains: ['message 3'], limit: 10 })).toEqual(['3'])
    expect(await ids({ contains: ['%'], limit: 10 })).toEqual([])
    expect(await ids({ notContains: ['message 3'], order: 'asc', limit: 10 })).toEqual([
      '1',
      '2',
      '4',
    ])
    expect(await ids({ since: t + 1, until: t + 3, limit: 10 })).toEqual(['3', '2'])
    expect(await db.count({ topics: ['org.fedoraproject.*.bodhi.>'], limit: 1 })).toBe(2)
    await db.close()
  })

  it('pages by keyset: each page starts after the last row of the one before, in both orders', async () => {
    const db = await open(backend)
    const t = Date.UTC(2026, 5, 1)
    // Two rows share each timestamp: the id breaks the tie, so no row is skipped or repeated.
    await db.insert(
      Array.from({ length: 10 }, (_, n) =>
        row({ msgId: `m${n}`, timestamp: t + Math.floor(n / 2) }),
      ),
    )
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = []
      let after: { timestamp: number; id: number } | undefined
      for (;;) {
        const page = await db.query({ order, limit: 3, ...(after === undefined ? {} : { after }) })
        if (page.length === 0) break
        seen.push(...page.map((r) => r.msgId))
        const last = page.at(-1)!
        after = { timestamp: last.timestamp, id: last.id }
      }
      const all = Array.from({ length: 10 }, (_, n) => `m${n}`)
      expect(seen).toEqual(order === 'asc' ? all : all.reverse())
    }
    await db.close()
  })

  it('prune deletes what is older than the cutoff, and reopening keeps the schema and rows', async () => {
    const url = await farm.url(backend)
    const db = await openMessageDatabase(url, process.cwd())
    const t = Date.UTC(2026, 2, 15)
    await db.insert([
      row({ msgId: 'old', timestamp: t - 40 * 86_400_000 }),
      row({ msgId: 'new', timestamp: t }),
    ])
    expect(await db.prune(t - 86_400_000)).toBe(1)
    await db.close()
    const again = await openMessageDatabase(url, process.cwd())
    expect((await again.query({ limit: 10 })).map((r) => r.msgId)).toEqual(['new'])
    await again.close()
  })
})

describe('PostgreSQL layout', () => {
  it('puts each month in its own partition', async () => {
    const url = await farm.url('postgres')
    const db = await openMessageDatabase(url, process.cwd())
    await db.insert([
      row({ msgId: 'nov', timestamp: Date.UTC(2026, 10, 30, 23, 59) }),
      row({ msgId: 'dec', timestamp: Date.UTC(2026, 11, 1) }),
    ])
    await db.close()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const parts = await client.query(
      `SELECT c.relname, count(m.*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       LEFT JOIN messages m ON m.tableoid = c.oid
       WHERE i.inhparent = 'messages'::regclass GROUP BY c.relname ORDER BY c.relname`,
    )
    await client.end()
    expect(parts.rows).toEqual([
      { relname: 'messages_y2026m11', n: 1 },
      { relname: 'messages_y2026m12', n: 1 },
    ])
  })
})
