import { setTimeout as delay } from 'node:timers/promises'
import memjs, { type Client as MemjsClient } from 'memjs'
import type { Logger } from 'pino'
import type { VerifiedMessage } from '../../crypto/envelope/verified-message.js'
import { topicMatches } from '../../crypto/policy/topic-pattern.js'
import type { Summarize } from '../../meta/message-summary.js'
import {
  resolveMemcachedOptions,
  type MemcachedOptions,
  type ResolvedMemcachedOptions,
} from './memcached-options.js'

/** Counters of the memcached consumer. */
export interface MemcachedStats {
  /** Messages added to at least one list. */
  readonly stored: number
  /** Lists written to memcached. */
  readonly writes: number
  /** Writes that failed (memcached down, slow, or gone mid-write) and will be retried. */
  readonly failures: number
  /**
   * Lists memcached refused to store (too large, out of memory): not retried until the list changes.
   * memcached then drops the key's previous value too, so the key reads as absent.
   */
  readonly refused: number
  /** Lists changed but not written yet, the one being written included. */
  readonly pending: number
  /** 1 while the last write succeeded (or none was tried yet). */
  readonly up: boolean
}

interface List {
  readonly pattern: string
  readonly keep: number
  readonly key: string
  /** JSON of `{"envelope", "summary"}` per message, newest first. */
  readonly items: string[]
}

/**
 * Keeps the latest messages of each topic pattern in memcached, as busmon's memcached stuffer did for web
 * apps: key `<keyPrefix><pattern>`, value `{"pattern": P, "messages": [{"envelope", "summary"}, …]}` newest
 * first, the envelope a string holding the signed envelope exactly as received (a web app can verify it).
 *
 * `offer()` only updates the lists in memory and marks them changed; one writer sends each changed list
 * as a whole. What waits is therefore bounded by the number of patterns, however fast messages come or
 * however long memcached is away: a burst is written as its last state, and a memcached that is down costs
 * a log line, counters and retries with backoff, never the hub's time.
 */
export class MemcachedSink {
  readonly #options: ResolvedMemcachedOptions
  readonly #summarize: Summarize
  readonly #log: Logger
  readonly #client: MemjsClient
  readonly #lists: List[]
  readonly #changed = new Set<List>()
  readonly #stop = new AbortController()
  readonly #counts = { stored: 0, writes: 0, failures: 0, refused: 0 }
  #writing: Promise<void> | undefined
  #inFlight = 0
  #failure: string | undefined

  constructor(options: MemcachedOptions, summarize: Summarize, log: Logger) {
    this.#options = resolveMemcachedOptions(options)
    this.#summarize = summarize
    this.#log = log.child({ memcached: this.#options.servers })
    this.#lists = this.#options.topics.map((topic) => ({ ...topic, items: [] }))
    const seconds = this.#options.timeoutMs / 1000
    this.#client = memjs.Client.create(this.#options.servers.join(','), {
      // One try per write: the retries are ours, with backoff and one log line per cause.
      retries: 1,
      timeout: seconds,
      conntimeout: seconds,
      // memjs logs every failure to console (stdout) by default: stdout carries only a command's output.
      logger: { log: () => undefined },
    })
  }

  /** Every topic pattern: what the hub consumer subscribes to. */
  get topics(): string[] {
    return this.#lists.map((list) => list.pattern)
  }

  /** Adds `message` to the lists whose pattern matches it; never waits for memcached. */
  offer(message: VerifiedMessage): void {
    const matching = this.#lists.filter((list) => topicMatches(list.pattern, message.topic))
    if (matching.length === 0) return
    const item = JSON.stringify({ envelope: message.envelope, summary: this.#summarize(message) })
    for (const list of matching) {
      list.items.unshift(item)
      list.items.length = Math.min(list.items.length, list.keep)
      this.#changed.add(list)
    }
    this.#counts.stored += 1
    this.#writing ??= this.#writeChanged().finally(() => (this.#writing = undefined))
  }

  stats(): MemcachedStats {
    const pending = this.#changed.size + this.#inFlight
    return { ...this.#counts, pending, up: this.#failure === undefined }
  }

  /** Writes what changed, until done or `signal` aborts; then closes the connections. */
  async drain(signal?: AbortSignal): Promise<void> {
    signal?.addEventListener('abort', () => this.#stop.abort(), { once: true })
    if (signal?.aborted === true) this.#stop.abort()
    await this.#writing
    this.close()
  }

  /** Stops at once: a retry wait ends and the connections close. */
  close(): void {
    this.#stop.abort()
    this.#client.close()
  }

  async #writeChanged(): Promise<void> {
    for (let failures = 0; this.#changed.size > 0 && !this.#stop.signal.aborted;) {
      const [list] = this.#changed
      this.#changed.delete(list!)
      this.#inFlight = 1
      const done = await this.#write(list!)
      this.#inFlight = 0
      if (done) {
        failures = 0
        continue
      }
      // A newer state of the list may have come in meanwhile: it is written then, not this one.
      this.#changed.add(list!)
      const { retryMinMs, retryMaxMs } = this.#options
      const wait = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(failures, 20))
      failures += 1
      await delay(wait, undefined, { signal: this.#stop.signal }).catch(() => undefined)
    }
  }

  /** True when memcached stored the list or refused it for good; false to retry. */
  async #write(list: List): Promise<boolean> {
    const value = `{"pattern":${JSON.stringify(list.pattern)},"messages":[${list.items.join(',')}]}`
    try {
      await this.#client.set(list.key, value, { expires: this.#options.expiresSeconds })
      this.#counts.writes += 1
      if (this.#failure !== undefined)
        this.#log.info({ key: list.key }, 'memcached reachable again')
      this.#failure = undefined
      return true
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error)
      // memjs names the server's refusals "MemJS SET: <status>": the same value would be refused again.
      if (why.startsWith('MemJS SET:')) {
        this.#counts.refused += 1
        this.#log.warn({ key: list.key, bytes: value.length, why }, 'memcached refused a list')
        return true
      }
      this.#counts.failures += 1
      // Once per cause: a memcached that is down for an hour must not write a line per retry.
      if (this.#failure !== why)
        this.#log.warn({ key: list.key, why }, 'memcached write failed: retrying')
      this.#failure = why
      return false
    }
  }
}
