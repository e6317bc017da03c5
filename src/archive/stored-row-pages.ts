import type { MessageDatabase } from '../store/message-database.js'
import type { MessageFilter } from '../store/message-filter.js'
import type { StoredRow } from '../store/stored-message.js'

/** Rows read per keyset page: memory stays bounded whatever the archive holds. */
export const ARCHIVE_PAGE_ROWS = 500

/** A message-time range: from `since` (inclusive) to before `until`, ms. */
export interface TimeRange {
  readonly since?: number
  readonly until?: number
}

/**
 * Every stored row of `range`, oldest first, one keyset page at a time (never an OFFSET scan), so a run over
 * millions of rows holds one page.
 *
 * @example
 * ```ts
 * for await (const page of storedRowPages(db, { since })) for (const row of page) check(row)
 * ```
 */
export async function* storedRowPages(
  db: MessageDatabase,
  range: TimeRange,
): AsyncGenerator<StoredRow[]> {
  let page: MessageFilter = { ...range, order: 'asc', limit: ARCHIVE_PAGE_ROWS }
  for (;;) {
    const rows = await db.query(page)
    if (rows.length > 0) yield rows
    const last = rows.at(-1)
    if (last === undefined || rows.length < ARCHIVE_PAGE_ROWS) return
    page = { ...page, after: { timestamp: last.timestamp, id: last.id } }
  }
}
