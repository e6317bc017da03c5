import type { MessageDatabase } from '../store/message-database.js'

/** A message as the gateway forwards it: the topic frame and the envelope frame's exact text. */
export interface ForwardedMessage {
  readonly topic: string
  readonly envelope: string
}

/** The last `limit` messages of a topic pattern, oldest first. May reject: the in-memory ring answers then. */
export type HistorySource = (pattern: string, limit: number) => Promise<readonly ForwardedMessage[]>

/**
 * History from the store (`fedmsg store`'s database): the newest `limit` rows whose topic matches the
 * pattern, oldest first, envelopes byte for byte as stored. Only `query` is used: nothing is written. The
 * database is opened at the first request, and again at the next one after a failure, so that a store that
 * is down when the gateway starts neither stops it nor stays unused once it is back.
 *
 * @example
 * ```ts
 * const store = new StoreHistory(() => openMessageDatabase('sqlite:fedmsg.db', process.cwd()))
 * const ws = new WsGateway({}, store.query)
 * ```
 */
export class StoreHistory {
  readonly #open: () => Promise<MessageDatabase>
  #db: Promise<MessageDatabase> | undefined

  constructor(open: () => Promise<MessageDatabase>) {
    this.#open = open
  }

  readonly query: HistorySource = async (pattern, limit) => {
    this.#db ??= this.#open()
    const db = this.#db
    try {
      const rows = await (await db).query({ topics: [pattern], order: 'desc', limit })
      return rows.reverse().map(({ topic, envelope }) => ({ topic, envelope }))
    } catch (error) {
      if (this.#db === db) this.#db = undefined
      db.then((opened) => opened.close()).catch(() => undefined)
      throw error
    }
  }

  async close(): Promise<void> {
    const db = this.#db
    this.#db = undefined
    await db?.then((opened) => opened.close()).catch(() => undefined)
  }
}
