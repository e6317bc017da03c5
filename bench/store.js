// @ts-check
/**
 * `store`: the message store (issue 14 item 7), each figure against a bare driver doing the same in this run.
 *
 * - store insert: rows/s through `MessageDatabase.insert` in the store's batches of 500 (msg_id claimed,
 *   duplicates counted; on PostgreSQL the monthly partitions), against the bare driver inserting the same rows
 *   in the same batches into one plain table of the same columns and indexes with msg_id unique.
 * - store q p50/p99: `MessageDatabase.query` for one topic and one hour, newest 25 (what `/raw` asks),
 *   against the same SQL as one prepared statement of the bare driver, at `--rows` generated rows (default
 *   1,000,000 on SQLite, 10,000,000 on PostgreSQL; generation is not timed).
 * - store rss: RSS growth of a `StoreWriter` whose database never answers while rows flood in: the
 *   queue's bounds (50,000 rows, 64 MiB of envelopes) hold it; the bound is 100 MB.
 *
 * PostgreSQL rows need a server: one is started as the tests start theirs, or named by FEDMSG_BENCH_POSTGRES;
 * without either they are skipped with the reason printed.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import pg from 'pg'
import { openMessageDatabase } from '../dist/store/message-database.js'
import { SQLITE_MIGRATIONS } from '../dist/store/sqlite-migrations.js'
import { DEFAULT_STORE_OPTIONS } from '../dist/store/store-options.js'
import { StoreWriter } from '../dist/store/store-writer.js'
import { startBenchPostgres } from './lib/postgres-server.js'
import { COLUMNS, freshPostgres, median, rows } from './lib/store-data.js'
import { queryRows } from './lib/store-query.js'

const BATCH = DEFAULT_STORE_OPTIONS.batchSize

/** @param {() => Promise<void>} work @param {number} count */
async function rate(work, count) {
  const started = performance.now()
  await work()
  return count / ((performance.now() - started) / 1000)
}

/** @param {import('./lib/row.js').Context} context */
async function run(context) {
  const dir = mkdtempSync(join(tmpdir(), 'fedmsg-bench-store-'))
  const server = await startBenchPostgres()
  try {
    /** @type {{ name: string, url: () => string | Promise<string> }[]} */
    const backends = [
      { name: 'SQLite', url: () => `sqlite:${join(dir, `${randomBytes(4).toString('hex')}.db`)}` },
    ]
    if ('url' in server) {
      const admin = server.url
      backends.push({ name: 'pg', url: () => freshPostgres(admin) })
    } else {
      console.log(`store: PostgreSQL rows skipped: ${server.missing}`)
    }
    // First, while the process holds nothing else: the other figures leave memory behind that RSS keeps.
    await stalledRow(context)
    for (const backend of backends) await insertRow(context, backend)
    await queryRows(context, dir, 'url' in server ? server.url : undefined)
  } finally {
    if ('stop' in server) server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * @param {import('./lib/row.js').Context} context
 * @param {{ name: string, url: () => string | Promise<string> }} backend
 */
async function insertRow(context, backend) {
  const n = context.quick ? 5_000 : 50_000
  const figure = []
  const baseline = []
  for (let round = 0; round < context.timing.rounds; round += 1) {
    const data = rows(n, 900)
    const db = await openMessageDatabase(await backend.url(), '/')
    figure.push(
      await rate(async () => {
        for (let at = 0; at < n; at += BATCH) await db.insert(data.slice(at, at + BATCH))
      }, n),
    )
    await db.close()
    const bare = await bareInserter(await backend.url())
    baseline.push(
      await rate(async () => {
        for (let at = 0; at < n; at += BATCH) await bare.insert(data.slice(at, at + BATCH))
      }, n),
    )
    await bare.close()
  }
  context.report({
    figure: 'store insert',
    alg: backend.name,
    payload: '1 KB',
    unit: 'ops/s',
    value: median(figure),
    baselineName: 'bare driver',
    baseline: median(baseline),
    ratio: median(figure) / median(baseline),
    rounds: figure,
    baselineRounds: baseline,
    note: `${n.toLocaleString('en-US')} rows in batches of ${BATCH}`,
  })
}

/** The bare driver: one plain table, the same columns and indexes, msg_id unique. @param {string} url */
async function bareInserter(url) {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length))
    db.pragma('journal_mode = WAL')
    db.exec(SQLITE_MIGRATIONS[0] ?? '')
    const one = db.prepare(
      `INSERT OR IGNORE INTO messages (${COLUMNS}) VALUES (@msgId, @topic, @signer, @timestamp, @i, @certSha256, @receivedAt, @envelope)`,
    )
    const all = db.transaction((/** @type {ReturnType<typeof rows>} */ batch) => {
      for (const row of batch) one.run(row)
    })
    return {
      insert: async (/** @type {ReturnType<typeof rows>} */ b) => all(b),
      close: async () => db.close(),
    }
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`CREATE TABLE messages (id BIGSERIAL PRIMARY KEY, msg_id TEXT NOT NULL UNIQUE,
    topic TEXT NOT NULL, signer TEXT NOT NULL, timestamp BIGINT NOT NULL, i BIGINT NOT NULL,
    cert_sha256 TEXT NOT NULL, received_at BIGINT NOT NULL, envelope TEXT NOT NULL);
    CREATE INDEX ON messages (topic, timestamp, id); CREATE INDEX ON messages (signer, i);
    CREATE INDEX ON messages (cert_sha256); CREATE INDEX ON messages (received_at)`)
  return {
    insert: async (/** @type {ReturnType<typeof rows>} */ batch) => {
      await client.query('BEGIN')
      await client.query(
        `INSERT INTO messages (${COLUMNS}) SELECT * FROM unnest($1::text[], $2::text[], $3::text[],
         $4::bigint[], $5::bigint[], $6::text[], $7::bigint[], $8::text[]) ON CONFLICT (msg_id) DO NOTHING`,
        [
          batch.map((r) => r.msgId),
          batch.map((r) => r.topic),
          batch.map((r) => r.signer),
          batch.map((r) => r.timestamp),
          batch.map((r) => r.i),
          batch.map((r) => r.certSha256),
          batch.map((r) => r.receivedAt),
          batch.map((r) => r.envelope),
        ],
      )
      await client.query('COMMIT')
    },
    close: () => client.end(),
  }
}

/** @param {import('./lib/row.js').Context} context */
async function stalledRow(context) {
  const { pino } = await import('pino')
  const n = context.messages ?? (context.quick ? 60_000 : 500_000)
  globalThis.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const before = process.memoryUsage().rss
  // A database that never answers: each attempt to reach it times out after a second, as pg's would.
  const stalled = () =>
    new Promise((_, reject) => setTimeout(() => reject(new Error('stalled')), 1000))
  const writer = new StoreWriter(stalled, DEFAULT_STORE_OPTIONS, pino({ level: 'silent' }))
  let peak = before
  for (let at = 0; at < n; at += 10_000) {
    for (const row of rows(Math.min(10_000, n - at), 900))
      writer.offer({ ...row, msgId: `${row.msgId}-${at}` })
    peak = Math.max(peak, process.memoryUsage().rss)
    await new Promise((r) => setImmediate(r))
  }
  globalThis.gc?.()
  const growth = (process.memoryUsage().rss - before) / 2 ** 20
  const heap = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20
  const stats = writer.stats()
  await writer.drain(0)
  context.report({
    figure: 'store rss',
    alg: '-',
    payload: '1 KB',
    unit: 'MB',
    value: growth,
    baselineName: 'goal bound',
    baseline: 100,
    ratio: growth / 100,
    ceiling: 1,
    note: `database stalled; ${n.toLocaleString('en-US')} rows offered, ${stats.queueDepth.toLocaleString('en-US')} queued (${(stats.queueBytes / 2 ** 20).toFixed(1)} MB), ${stats.dropped.toLocaleString('en-US')} dropped; peak +${((peak - before) / 2 ** 20).toFixed(1)} MB, JS heap after GC +${heap.toFixed(1)} MB`,
  })
}

export default { name: 'store', run }
