// @ts-check
/** The `store q p50` and `store q p99` figures of `store.js`: topic+hour queries over generated rows. */
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import pg from 'pg'
import { openMessageDatabase } from '../../dist/store/message-database.js'
import { monthPartition } from '../../dist/store/postgres-migrations.js'
import { COLUMNS, freshPostgres, percentile, rows, SPAN_MS, T0, TOPICS } from './store-data.js'

const QUERY_SQL = (/** @type {(n: number) => string} */ p) =>
  `SELECT id, ${COLUMNS} FROM messages WHERE topic = ${p(1)} AND timestamp >= ${p(2)} AND timestamp < ${p(3)}
   ORDER BY timestamp DESC, id DESC LIMIT 25`

/**
 * @param {import('./row.js').Context} context
 * @param {string} dir
 * @param {string | undefined} postgres
 */
export async function queryRows(context, dir, postgres) {
  const queries = context.quick ? 50 : 500
  const sqliteRows = context.storeRows ?? (context.quick ? 20_000 : 1_000_000)
  const file = join(dir, 'query.db')
  await (await openMessageDatabase(`sqlite:${file}`, '/')).close()
  const bare = new Database(file)
  const insert = bare.prepare(
    `INSERT INTO messages (${COLUMNS}) VALUES (@msgId, @topic, @signer, @timestamp, @i, @certSha256, @receivedAt, @envelope)`,
  )
  // One transaction of prepared inserts, made in chunks so that the rows never sit in memory all at once.
  bare.transaction(() => {
    for (let at = 0; at < sqliteRows; at += 100_000) {
      for (const row of rows(Math.min(100_000, sqliteRows - at), 200)) {
        insert.run({ ...row, timestamp: row.timestamp + at, msgId: `${row.msgId}-${at}` })
      }
    }
  })()
  bare.exec('ANALYZE')
  const statement = bare.prepare(QUERY_SQL(() => '?'))
  await latencyRows(
    context,
    'SQLite',
    sqliteRows,
    queries,
    `sqlite:${file}`,
    async (t, a, b) => void statement.all(t, a, b),
  )
  bare.close()
  if (postgres === undefined) return
  const pgRows = context.storeRows ?? (context.quick ? 50_000 : 10_000_000)
  const url = await freshPostgres(postgres)
  await (await openMessageDatabase(url, '/')).close()
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  for (const month of [T0, T0 + SPAN_MS]) {
    const part = monthPartition(month)
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${part.name} PARTITION OF messages FOR VALUES FROM (${part.from}) TO (${part.to})`,
    )
  }
  const stamp = `${T0} + (g::bigint * ${SPAN_MS - 1}) / ${pgRows}`
  await client.query(
    `INSERT INTO message_ids SELECT 'g' || g, ${stamp} FROM generate_series(1, ${pgRows}) g`,
  )
  await client.query(`INSERT INTO messages (${COLUMNS})
    SELECT 'g' || g, 'org.fedoraproject.prod.service' || (g % 20) || '.event', 'svc' || (g % 5), ${stamp}, g,
           repeat('ab', 32), ${stamp} + 5, '{"msg":{"k":' || g || ',"pad":"' || repeat('x', 200) || '"}}'
    FROM generate_series(1, ${pgRows}) g`)
  await client.query('ANALYZE')
  const sql = QUERY_SQL((n) => `$${n}`)
  await latencyRows(
    context,
    'pg',
    pgRows,
    queries,
    url,
    async (t, a, b) =>
      void (await client.query({ name: 'bench-query', text: sql, values: [t, a, b] })),
  )
  await client.end()
}

/**
 * p50 and p99 of `queries` topic+hour queries, fedmsg and bare interleaved.
 *
 * @param {import('./row.js').Context} context
 * @param {string} backend
 * @param {number} count rows in the table
 * @param {number} queries
 * @param {string} url
 * @param {(topic: string, since: number, until: number) => Promise<void>} bareQuery
 */
async function latencyRows(context, backend, count, queries, url, bareQuery) {
  const db = await openMessageDatabase(url, '/')
  const figure = []
  const baseline = []
  for (let q = -10; q < queries; q += 1) {
    const topic = TOPICS[Math.floor(Math.random() * TOPICS.length)] ?? TOPICS[0]
    const since = T0 + Math.floor(Math.random() * (SPAN_MS - 3_600_000))
    const until = since + 3_600_000
    let started = performance.now()
    await db.query({ topics: [topic], since, until, limit: 25 })
    const mine = (performance.now() - started) * 1000
    started = performance.now()
    await bareQuery(topic, since, until)
    const theirs = (performance.now() - started) * 1000
    // The first ten warm the caches and are not counted.
    if (q >= 0) {
      figure.push(mine)
      baseline.push(theirs)
    }
  }
  await db.close()
  for (const [name, q] of [
    ['p50', 0.5],
    ['p99', 0.99],
  ]) {
    context.report({
      figure: `store q ${name}`,
      alg: backend,
      payload: 'topic+1h',
      unit: 'µs',
      value: percentile(figure, Number(q)),
      baselineName: 'bare driver',
      baseline: percentile(baseline, Number(q)),
      ratio: percentile(figure, Number(q)) / percentile(baseline, Number(q)),
      note: `${count.toLocaleString('en-US')} rows, ${queries} queries, newest 25`,
    })
  }
}
