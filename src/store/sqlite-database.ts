import Database from 'better-sqlite3'
import type { MessageDatabase } from './message-database.js'
import type { MessageFilter } from './message-filter.js'
import { ROW_COLUMNS, rowOf, type RowRecord } from './row-columns.js'
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js'
import { buildWhere, orderAndLimit, SQLITE_DIALECT } from './sql-where.js'
import type { StoredMessage } from './stored-message.js'

/**
 * The embedded backend: one SQLite file in WAL mode (readers never block the writer), better-sqlite3's
 * prepared statements, each batch in one transaction.
 *
 * @example
 * ```ts
 * const db = openSqliteDatabase('/var/lib/fedmsg/fedmsg.db')
 * ```
 */
export function openSqliteDatabase(path: string): MessageDatabase {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  // A second process (`fedmsg query` next to `fedmsg store`) waits for the writer's lock instead of failing.
  db.pragma('busy_timeout = 5000')
  // A pruned message takes its rows of message_users and message_packages with it (ON DELETE CASCADE).
  // better-sqlite3 builds with it on; said here so the cascade never rests on a build flag.
  db.pragma('foreign_keys = ON')
  migrate(db)
  const regexes = new Map<string, RegExp>()
  db.function('regexp', { deterministic: true }, (pattern, value) => {
    let regex = regexes.get(String(pattern))
    if (regex === undefined) regexes.set(String(pattern), (regex = new RegExp(String(pattern))))
    return regex.test(String(value)) ? 1 : 0
  })
  const insertOne = db.prepare(
    `INSERT INTO messages (msg_id, topic, signer, timestamp, i, cert_sha256, received_at, envelope)
     VALUES (@msgId, @topic, @signer, @timestamp, @i, @certSha256, @receivedAt, @envelope)
     ON CONFLICT (msg_id) DO NOTHING`,
  )
  const insertUser = db.prepare('INSERT OR IGNORE INTO message_users VALUES (?, ?)')
  const insertPackage = db.prepare('INSERT OR IGNORE INTO message_packages VALUES (?, ?)')
  const insertAll = db.transaction((rows: readonly StoredMessage[]) => {
    let inserted = 0
    for (const { users = [], packages = [], ...row } of rows) {
      const result = insertOne.run(row)
      if (result.changes === 0) continue
      inserted += 1
      for (const name of users) insertUser.run(name, result.lastInsertRowid)
      for (const name of packages) insertPackage.run(name, result.lastInsertRowid)
    }
    return inserted
  })
  const byMsgId = db.prepare(`SELECT ${ROW_COLUMNS} FROM messages WHERE msg_id = ?`)
  const prune = db.prepare('DELETE FROM messages WHERE timestamp < ?')
  const select = (filter: MessageFilter) => {
    const where = buildWhere(filter, SQLITE_DIALECT, true)
    const sql = `SELECT ${ROW_COLUMNS} FROM messages ${where.text} ${orderAndLimit(filter, SQLITE_DIALECT, 0)}`
    return (db.prepare(sql).all(...where.params, filter.limit) as RowRecord[]).map(rowOf)
  }
  return {
    insert: async (rows) => {
      const inserted = insertAll(rows)
      return { inserted, duplicates: rows.length - inserted }
    },
    query: async (filter) => select(filter),
    count: async (filter) => {
      const where = buildWhere(filter, SQLITE_DIALECT, false)
      const row = db
        .prepare(`SELECT count(*) AS n FROM messages ${where.text}`)
        .get(...where.params)
      return (row as { n: number }).n
    },
    byMsgId: async (msgId) => {
      const record = byMsgId.get(msgId) as RowRecord | undefined
      return record === undefined ? undefined : rowOf(record)
    },
    addNames: async ({ id, users = [], packages = [] }) =>
      db.transaction(() => {
        for (const name of users) insertUser.run(name, id)
        for (const name of packages) insertPackage.run(name, id)
      })(),
    prune: async (cutoff) => prune.run(cutoff).changes,
    close: async () => void db.close(),
  }
}

function migrate(db: Database.Database): void {
  const done = db.pragma('user_version', { simple: true }) as number
  for (const [index, sql] of SQLITE_MIGRATIONS.entries()) {
    if (index < done) continue
    db.transaction(() => {
      db.exec(sql)
      db.pragma(`user_version = ${index + 1}`)
    })()
  }
}
