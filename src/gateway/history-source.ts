import { createHash } from 'node:crypto'
import type { Logger } from 'pino'
import { LruCache } from '../crypto/lru-cache.js'
import type { ArchiveVerdict, StoredRowVerifier } from '../archive/stored-row-verifier.js'
import type { MessageDatabase } from '../store/message-database.js'
import type { StoredRow } from '../store/stored-message.js'

/** A message as the gateway forwards it: the topic frame and the envelope frame's exact text. */
export interface ForwardedMessage {
  readonly topic: string
  readonly envelope: string
}

/** The last `limit` messages of a topic pattern, oldest first. May reject: the in-memory ring answers then. */
export type HistorySource = (pattern: string, limit: number) => Promise<readonly ForwardedMessage[]>

/** Rows remembered as verified: a few patterns' histories, so repeated requests cost a hash per row. */
const VERIFIED_ROWS_KEPT = 4096

/**
 * History from the store (`fedmsg store`'s database): the newest `limit` rows whose topic matches the
 * pattern, oldest first, envelopes byte for byte as stored. Whoever can write the database could put any text
 * there, so each row is verified again (`check`, as of its own time, as `fedmsg archive verify` does) and one
 * that fails is left out, counted and logged once per verdict: the gateway serves only the verified bus.
 * The CRLs are reloaded like the hub's: serve-gateway points a CrlWatcher at {@link StoreHistory.setCrls}.
 * Only `query` is used: nothing is written. The
 * database is opened at the first request, and again at the next one after a failure, so that a store that
 * is down when the gateway starts neither stops it nor stays unused once it is back.
 *
 * @example
 * ```ts
 * const check = createStoredRowVerifier({ trustAnchors: [readFileSync('ca.crt', 'utf8')] })
 * const store = new StoreHistory(() => openMessageDatabase('sqlite:fedmsg.db', process.cwd()), check, log)
 * const ws = new WsGateway({}, store.query)
 * ```
 */
export class StoreHistory {
  readonly #open: () => Promise<MessageDatabase>
  readonly #check: StoredRowVerifier
  readonly #log: Logger
  readonly #logged = new Set<ArchiveVerdict>()
  // Keyed by a hash of every column the check reads: a row changed since is a new key, checked again.
  readonly #verifiedRows = new LruCache<string, true>(VERIFIED_ROWS_KEPT)
  #db: Promise<MessageDatabase> | undefined
  #refused = 0

  constructor(open: () => Promise<MessageDatabase>, check: StoredRowVerifier, log: Logger) {
    this.#open = open
    this.#check = check
    this.#log = log
  }

  /**
   * Installs a new CRL set (a CrlWatcher calls this, as it does the hub's verifier) and forgets which rows
   * passed: a row verified under the old set is checked again under the new one before it is served.
   */
  setCrls(crls: readonly string[]): void {
    this.#check.setCrls(crls)
    this.#verifiedRows.clear()
  }

  /** Stored rows that did not verify, left out of history answers. */
  get refused(): number {
    return this.#refused
  }

  readonly query: HistorySource = async (pattern, limit) => {
    this.#db ??= this.#open()
    const db = this.#db
    try {
      const rows = await (await db).query({ topics: [pattern], order: 'desc', limit })
      return rows
        .filter((row) => this.#verified(row))
        .reverse()
        .map(({ topic, envelope }) => ({ topic, envelope }))
    } catch (error) {
      if (this.#db === db) this.#db = undefined
      db.then((opened) => opened.close()).catch(() => undefined)
      throw error
    }
  }

  #verified(row: StoredRow): boolean {
    const { topic, msgId, timestamp, i, signer, certSha256, envelope } = row
    const key = createHash('sha256')
      .update(JSON.stringify([topic, msgId, timestamp, i, signer, certSha256, envelope]))
      .digest('hex')
    if (this.#verifiedRows.get(key) !== undefined) return true
    const { verdict, detail } = this.#check(row)
    if (verdict === 'ok') {
      this.#verifiedRows.set(key, true)
      return true
    }
    this.#refused += 1
    if (!this.#logged.has(verdict)) {
      this.#logged.add(verdict)
      this.#log.warn(
        { verdict, detail, msg_id: row.msgId, topic: row.topic },
        'store history: a stored row does not verify: not served',
      )
    }
    return false
  }

  async close(): Promise<void> {
    const db = this.#db
    this.#db = undefined
    await db?.then((opened) => opened.close()).catch(() => undefined)
  }
}
