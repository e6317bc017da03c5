import pg from 'pg'
import type { MessageDatabase } from './message-database.js'
import type { MessageFilter } from './message-filter.js'
import { monthPartition, POSTGRES_MIGRATIONS } from './postgres-migrations.js'
import { ROW_COLUMNS, rowOf, type RowRecord } from './row-columns.js'
import { buildWhere, orderAndLimit, POSTGRES_DIALECT } from './sql-where.js'
import type { StoredMessage } from './stored-message.js'

// Users and packages travel as one JSON array text per row: unnest would flatten a text[][].
const INSERT_ROWS = `INSERT INTO messages
  (msg_id, topic, signer, timestamp, i, cert_sha256, received_at, envelope, users, packages)
  SELECT m, t, s, ts, i, c, r, e,
         ARRAY(SELECT jsonb_array_elements_text(u::jsonb)), ARRAY(SELECT jsonb_array_elements_text(p::jsonb))
  FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[],
              $7::bigint[], $8::text[], $9::text[], $10::text[]) AS row (m, t, s, ts, i, c, r, e, u, p)`

/**
 * The production backend: a `pg` Pool, monthly partitions created as messages arrive, each batch in one
 * transaction (msg_ids claimed in `message_ids`, then only the new rows inserted).
 *
 * @example
 * ```ts
 * const db = await openPostgresDatabase('postgres://fedmsg@db.example.org/fedmsg')
 * ```
 */
export async function openPostgresDatabase(url: string): Promise<MessageDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000 })
  // An idle connection that the server drops emits 'error' on the pool; the next query reconnects.
  pool.on('error', () => undefined)
  const partitions = new Set<string>()
  const ensurePartition = async (timestamp: number): Promise<void> => {
    const part = monthPartition(timestamp)
    if (partitions.has(part.name)) return
    // Bounds are integers computed here and the name is [a-z0-9_]: neither comes from a message.
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${part.name} PARTITION OF messages FOR VALUES FROM (${part.from}) TO (${part.to})`,
    )
    partitions.add(part.name)
  }
  const select = async (filter: MessageFilter) => {
    const where = buildWhere(filter, POSTGRES_DIALECT, true)
    const order = orderAndLimit(filter, POSTGRES_DIALECT, where.params.length + 1)
    const sql = `SELECT ${ROW_COLUMNS} FROM messages ${where.text} ${order}`
    return (await pool.query<RowRecord>(sql, [...where.params, filter.limit])).rows.map(rowOf)
  }
  // A server that is down at start: the caller retries with a new pool, so this one must not linger.
  await migrate(pool).catch(async (error: unknown) => {
    await pool.end().catch(() => undefined)
    throw error
  })
  return {
    insert: async (rows) => {
      for (const row of rows) await ensurePartition(row.timestamp)
      const inserted = await transaction(pool, async (client) => {
        const claimed = await client.query<{ msg_id: string }>(
          `INSERT INTO message_ids (msg_id, timestamp) SELECT * FROM unnest($1::text[], $2::bigint[])
           ON CONFLICT DO NOTHING RETURNING msg_id`,
          [rows.map((r) => r.msgId), rows.map((r) => r.timestamp)],
        )
        const fresh = new Set(claimed.rows.map((r) => r.msg_id))
        // The first of two rows with one msg_id in a batch is the one stored.
        const added = rows.filter((r) => fresh.delete(r.msgId))
        await client.query(INSERT_ROWS, columnsOf(added))
        return added.length
      })
      return { inserted, duplicates: rows.length - inserted }
    },
    query: select,
    count: async (filter) => {
      const where = buildWhere(filter, POSTGRES_DIALECT, false)
      const result = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM messages ${where.text}`,
        where.params,
      )
      return Number(result.rows[0]!.n)
    },
    byMsgId: async (msgId) => {
      const result = await pool.query<RowRecord>(
        `SELECT ${ROW_COLUMNS} FROM messages WHERE msg_id = $1`,
        [msgId],
      )
      return result.rows[0] === undefined ? undefined : rowOf(result.rows[0])
    },
    addNames: async ({ id, timestamp, users = [], packages = [] }) => {
      // timestamp first: the partition key picks the one month to look in.
      await pool.query(
        `UPDATE messages SET users = ARRAY(SELECT DISTINCT unnest(users || $3::text[])),
           packages = ARRAY(SELECT DISTINCT unnest(packages || $4::text[]))
         WHERE timestamp = $1 AND id = $2`,
        [timestamp, id, [...users], [...packages]],
      )
    },
    prune: (cutoff) =>
      transaction(pool, async (client) => {
        await client.query('DELETE FROM message_ids WHERE timestamp < $1', [cutoff])
        return (
          (await client.query('DELETE FROM messages WHERE timestamp < $1', [cutoff])).rowCount ?? 0
        )
      }),
    close: () => pool.end(),
  }
}

function columnsOf(rows: readonly StoredMessage[]): unknown[][] {
  return [
    rows.map((r) => r.msgId),
    rows.map((r) => r.topic),
    rows.map((r) => r.signer),
    rows.map((r) => r.timestamp),
    rows.map((r) => r.i),
    rows.map((r) => r.certSha256),
    rows.map((r) => r.receivedAt),
    rows.map((r) => r.envelope),
    rows.map((r) => JSON.stringify(r.users ?? [])),
    rows.map((r) => JSON.stringify(r.packages ?? [])),
  ]
}

async function transaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

async function migrate(pool: pg.Pool): Promise<void> {
  await transaction(pool, async (client) => {
    // One migrator at a time, across every store and query process sharing the database.
    await client.query('SELECT pg_advisory_xact_lock(7463019)')
    await client.query('CREATE TABLE IF NOT EXISTS fedmsg_schema (version INTEGER PRIMARY KEY)')
    const done = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM fedmsg_schema',
    )
    for (const [index, sql] of POSTGRES_MIGRATIONS.entries()) {
      if (index < (done.rows[0]?.v ?? 0)) continue
      await client.query(sql)
      await client.query('INSERT INTO fedmsg_schema (version) VALUES ($1)', [index + 1])
    }
  })
}
