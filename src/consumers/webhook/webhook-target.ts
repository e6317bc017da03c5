import { setTimeout as delay } from 'node:timers/promises'
import type { Logger } from 'pino'
import { postOnce } from './post-once.js'
import type { ResolvedWebhookTarget } from './webhook-options.js'

export interface WebhookTargetStats {
  readonly url: string
  readonly delivered: number
  /** Failed tries that were retried. */
  readonly retries: number
  /** Messages given up on: retries exhausted, or the receiver refused them (4xx). */
  readonly deadLettered: number
  /** Messages never tried: the queue was full, or the webhook stopped first. */
  readonly dropped: number
  readonly inFlight: number
  readonly queueDepth: number
}

/**
 * One receiver: a bounded queue in front of `concurrency` workers, each POSTing one message at a time and
 * retrying it with exponential backoff. A slow or dead receiver fills only its own queue; other targets and
 * the hub carry on.
 */
export class WebhookTarget {
  readonly #options: ResolvedWebhookTarget
  readonly #log: Logger
  readonly #queue: string[] = []
  readonly #stop = new AbortController()
  #workers = 0
  #idle: (() => void) | undefined
  #delivered = 0
  #retries = 0
  #deadLettered = 0
  #dropped = 0
  readonly #failedOnce = new Set<string>()

  constructor(options: ResolvedWebhookTarget, log: Logger) {
    this.#options = options
    this.#log = log.child({ url: options.url })
  }

  /** Queues one JSON body; false (counted) when the queue is full or the target stopped. */
  offer(body: string): boolean {
    if (this.#stop.signal.aborted || this.#queue.length >= this.#options.queueSize) {
      this.#dropped += 1
      return false
    }
    this.#queue.push(body)
    if (this.#workers < this.#options.concurrency) void this.#work()
    return true
  }

  /** Waits for the queue to empty (retries included), or until `signal` aborts: then stops. */
  async drain(signal?: AbortSignal): Promise<void> {
    if (this.#workers > 0) {
      await new Promise<void>((resolve) => {
        this.#idle = resolve
        signal?.addEventListener('abort', () => resolve(), { once: true })
      })
    }
    this.close()
  }

  /** Stops at once: the backoff waits end, what is queued is dropped and counted. */
  close(): void {
    this.#stop.abort()
    this.#dropped += this.#queue.splice(0).length
  }

  stats(): WebhookTargetStats {
    return {
      url: this.#options.url,
      delivered: this.#delivered,
      retries: this.#retries,
      deadLettered: this.#deadLettered,
      dropped: this.#dropped,
      inFlight: this.#workers,
      queueDepth: this.#queue.length,
    }
  }

  async #work(): Promise<void> {
    this.#workers += 1
    try {
      for (let body = this.#queue.shift(); body !== undefined; body = this.#queue.shift()) {
        await this.#deliver(body)
      }
    } finally {
      this.#workers -= 1
      if (this.#workers === 0) this.#idle?.()
    }
  }

  async #deliver(body: string): Promise<void> {
    const { url, timeoutMs, retries, backoffMinMs, backoffMaxMs } = this.#options
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await postOnce(url, body, timeoutMs)
      if (outcome.type === 'delivered') {
        this.#delivered += 1
        return
      }
      const why = outcome.type === 'refused' ? `HTTP ${outcome.status}` : outcome.why
      if (outcome.type === 'refused' || attempt === retries || this.#stop.signal.aborted) {
        this.#deadLettered += 1
        this.#log.warn({ why, attempts: attempt + 1 }, 'webhook message dead-lettered')
        return
      }
      this.#retries += 1
      // Once per cause: a receiver that is down for an hour must not write a line per retry.
      if (!this.#failedOnce.has(why)) {
        this.#failedOnce.add(why)
        this.#log.warn({ why }, 'webhook POST failed: retrying with backoff')
      }
      const wait = Math.min(backoffMaxMs, backoffMinMs * 2 ** Math.min(attempt, 20))
      await delay(wait, undefined, { signal: this.#stop.signal }).catch(() => undefined)
    }
  }
}
