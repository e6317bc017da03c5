import type { MessageFilter } from './message-filter.js'
import type { StoredMessage, StoredRow } from './stored-message.js'
import { parseStoreUrl } from './store-url.js'

/** What one batch insert did. */
export interface InsertResult {
  readonly inserted: number
  /** Rows whose msg_id was already stored (or repeated within the batch): not stored again. */
  readonly duplicates: number
}

/**
 * One schema and one API over SQLite and PostgreSQL. Every method may reject when the database is
 * unreachable; the store's writer retries, the query commands report it.
 */
export interface MessageDatabase {
  /** Inserts in one transaction: all of the batch or none of it. */
  insert(rows: readonly StoredMessage[]): Promise<InsertResult>
  /** One keyset page, in `filter.order` (default newest first). */
  query(filter: MessageFilter): Promise<StoredRow[]>
  /** How many rows the filter selects, ignoring its cursor and limit. */
  count(filter: MessageFilter): Promise<number>
  byMsgId(msgId: string): Promise<StoredRow | undefined>
  /** Adds summary users and packages to a stored row (the keyset `id` and `timestamp` name it). */
  addNames(row: Pick<StoredRow, 'id' | 'timestamp' | 'users' | 'packages'>): Promise<void>
  /** Deletes every message stamped before `cutoff` (ms); returns how many. */
  prune(cutoff: number): Promise<number>
  close(): Promise<void>
}

/**
 * Opens (and migrates) the database that `url` names: `sqlite:PATH` relative to `cwd`, or `postgres://…`.
 *
 * @example
 * ```ts
 * const db = await openMessageDatabase('sqlite:fedmsg.db', process.cwd())
 * ```
 */
export async function openMessageDatabase(url: string, cwd: string): Promise<MessageDatabase> {
  const location = parseStoreUrl(url, cwd)
  if (location.type === 'sqlite') {
    const { openSqliteDatabase } = await import('./sqlite-database.js')
    return openSqliteDatabase(location.path)
  }
  const { openPostgresDatabase } = await import('./postgres-database.js')
  return openPostgresDatabase(location.url)
}
