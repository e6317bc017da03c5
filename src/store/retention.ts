import type { Logger } from 'pino'
import type { MessageDatabase } from './message-database.js'

/** How often a store with `--retain` prunes, ms. */
export const PRUNE_INTERVAL_MS = 3_600_000

/**
 * `fedmsg store --retain 90d`: deletes messages stamped more than `retainMs` ago, at start and then hourly,
 * on its own connection so a long delete never holds up the writer's batches. A failed prune is logged and
 * retried at the next tick.
 *
 * @example
 * ```ts
 * const retention = new Retention(() => openMessageDatabase(url, cwd), 90 * 86_400_000, log)
 * ```
 */
export class Retention {
  readonly #open: () => Promise<MessageDatabase>
  readonly #retainMs: number
  readonly #log: Logger
  readonly #timer: ReturnType<typeof setInterval>
  #running: Promise<void> = Promise.resolve()
  #pruned = 0

  constructor(open: () => Promise<MessageDatabase>, retainMs: number, log: Logger) {
    this.#open = open
    this.#retainMs = retainMs
    this.#log = log
    this.#timer = setInterval(() => this.#tick(), PRUNE_INTERVAL_MS)
    this.#timer.unref()
    this.#tick()
  }

  /** Messages deleted so far. */
  get pruned(): number {
    return this.#pruned
  }

  async close(): Promise<void> {
    clearInterval(this.#timer)
    await this.#running
  }

  #tick(): void {
    this.#running = this.#running.then(() => this.#prune())
  }

  async #prune(): Promise<void> {
    const cutoff = Date.now() - this.#retainMs
    try {
      const db = await this.#open()
      try {
        const deleted = await db.prune(cutoff)
        this.#pruned += deleted
        this.#log.info({ deleted, before: new Date(cutoff).toISOString() }, 'store pruned')
      } finally {
        await db.close()
      }
    } catch (error) {
      this.#log.error(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        'store prune failed: retrying at the next interval',
      )
    }
  }
}
