import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import type { MessageDatabase } from './message-database.js'
import type { StoreOptions } from './store-options.js'
import type { StoredMessage } from './stored-message.js'

/** What a store counts, for logs, /metrics and /healthz. */
export interface StoreStats {
  /** Rows written. */
  readonly stored: number
  /** Messages whose msg_id was already stored: not stored twice. */
  readonly duplicates: number
  /** Messages never written: the queue was full, or the store stopped with the database down. */
  readonly dropped: number
  /** Failed attempts to open the database or write a batch (each is retried). */
  readonly databaseErrors: number
  readonly queueDepth: number
  readonly queueBytes: number
  /** The last attempt to reach the database worked. */
  readonly connected: boolean
}

/**
 * Writes rows to the database in batches from a bounded queue. A database that is down or full never
 * stops the intake: rows wait (up to the queue's bounds; past them they are dropped and counted) while
 * the writer retries with backoff, and a batch leaves the queue only once its transaction committed.
 *
 * @example
 * ```ts
 * const writer = new StoreWriter(() => openMessageDatabase(url, cwd), DEFAULT_STORE_OPTIONS, log)
 * writer.offer(storedMessageOf(message, Date.now()))
 * ```
 */
export class StoreWriter {
  readonly #open: () => Promise<MessageDatabase>
  readonly #options: StoreOptions
  readonly #log: Logger
  readonly #queue: StoredMessage[] = []
  readonly #stop = new AbortController()
  readonly #counts = { stored: 0, duplicates: 0, dropped: 0, databaseErrors: 0 }
  #queueBytes = 0
  #connected = false
  #database: MessageDatabase | undefined
  #draining = false
  #wake: () => void = () => undefined
  readonly #loop: Promise<void>

  constructor(open: () => Promise<MessageDatabase>, options: StoreOptions, log: Logger) {
    this.#open = open
    this.#options = options
    this.#log = log
    this.#loop = this.#run()
  }

  /** Queues a row; drops it (counted) when the queue is at a bound or the writer stopped. */
  offer(row: StoredMessage): void {
    const full =
      this.#queue.length >= this.#options.queueLimit ||
      this.#queueBytes + row.envelope.length > this.#options.queueBytesLimit
    if (full || this.#draining || this.#stop.signal.aborted) {
      this.#counts.dropped += 1
      return
    }
    this.#queue.push(row)
    this.#queueBytes += row.envelope.length
    this.#wake()
  }

  stats(): StoreStats {
    return {
      ...this.#counts,
      queueDepth: this.#queue.length,
      queueBytes: this.#queueBytes,
      connected: this.#connected,
    }
  }

  /**
   * Writes what is queued, retrying for up to `timeoutMs`; what is still queued then is dropped (counted).
   * Closes the database.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.#draining = true
    this.#wake()
    const deadline = setTimeout(() => this.#stop.abort(), timeoutMs)
    await this.#loop
    clearTimeout(deadline)
    this.#counts.dropped += this.#queue.length
    this.#queue.length = 0
    this.#queueBytes = 0
    await this.#database?.close().catch(() => undefined)
  }

  async #run(): Promise<void> {
    let retryMs = this.#options.retryMinMs
    // Opened before any message arrives, so that /healthz of an idle store says whether its database works.
    await this.#reach()
    while (!this.#stop.signal.aborted) {
      if (this.#queue.length === 0) {
        if (this.#draining) return
        await new Promise<void>((resolve) => (this.#wake = resolve))
        continue
      }
      if (this.#queue.length < this.#options.batchSize && !this.#draining) {
        await this.#pause(this.#options.flushIntervalMs)
      }
      if (await this.#writeBatch()) {
        retryMs = this.#options.retryMinMs
      } else {
        await this.#pause(retryMs)
        retryMs = Math.min(retryMs * 2, this.#options.retryMaxMs)
      }
    }
  }

  async #reach(): Promise<void> {
    try {
      this.#database ??= await this.#open()
      this.#connected = true
    } catch (error) {
      this.#failed(error, 0)
    }
  }

  async #writeBatch(): Promise<boolean> {
    const batch = this.#queue.slice(0, this.#options.batchSize)
    try {
      this.#database ??= await this.#open()
      const result = await this.#database.insert(batch)
      this.#queue.splice(0, batch.length)
      this.#queueBytes -= batch.reduce((sum, row) => sum + row.envelope.length, 0)
      this.#counts.stored += result.inserted
      this.#counts.duplicates += result.duplicates
      if (!this.#connected) this.#log.info('store database reachable: writing')
      this.#connected = true
      return true
    } catch (error) {
      this.#failed(error, batch.length)
      return false
    }
  }

  #failed(error: unknown, queued: number): void {
    this.#counts.databaseErrors += 1
    // Once per outage, not once per retry.
    if (this.#connected || this.#counts.databaseErrors === 1) {
      this.#log.error(
        { err: { message: errorMessage(error), code: errorCode(error) }, queued },
        'store database unavailable: buffering and retrying',
      )
    }
    this.#connected = false
  }

  #pause(ms: number): Promise<void> {
    return sleep(ms, undefined, { signal: this.#stop.signal }).catch(() => undefined)
  }
}

const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)
const errorCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
