import type { Logger } from 'pino'
import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'
import type { Consumer } from './consumer.js'

/** Counters of one consumer. */
export interface ConsumerStats {
  /** Messages accepted into the queue. */
  readonly dispatched: number
  /** Calls that returned (or resolved) in time. */
  readonly completed: number
  /** Calls that threw or rejected. */
  readonly errors: number
  /** Calls still running at the timeout: the runner moved on. */
  readonly timeouts: number
  /** Messages not queued because the queue was full, or discarded by close(). */
  readonly dropped: number
  /** Messages waiting now. */
  readonly queueDepth: number
}

export interface ConsumerRunnerOptions {
  readonly name: string
  readonly consumer: Consumer
  /** At most this many messages wait; newer ones are dropped and counted. */
  readonly queueSize: number
  /** Longest one call may run before it counts as timed out. */
  readonly timeoutMs: number
  readonly logger: Logger
  /** What `context.publish` does for a message: publish derived from it. */
  readonly derive: Derive
}

/** Publishes `body` on `topic` as derived from `source` (the hub's DerivedPublisher, or a refusal). */
export type Derive = (
  source: VerifiedMessage,
  topic: string,
  body: Record<string, unknown>,
) => Promise<void>

/**
 * Feeds one consumer from a bounded queue, one call at a time, in order. Nothing a consumer does (throw, hang,
 * lag) reaches the hub or the other consumers: errors and timeouts are counted, overflow is dropped and counted.
 */
export class ConsumerRunner {
  readonly name: string
  readonly #consumer: Consumer
  readonly #queueSize: number
  readonly #timeoutMs: number
  readonly #logger: Logger
  readonly #derive: Derive
  readonly #queue: VerifiedMessage[] = []
  readonly #counts = { dispatched: 0, completed: 0, errors: 0, timeouts: 0, dropped: 0 }
  #running: Promise<void> | undefined
  #current: AbortController | undefined
  #stopped = false

  constructor(options: ConsumerRunnerOptions) {
    this.name = options.name
    this.#consumer = options.consumer
    this.#queueSize = options.queueSize
    this.#timeoutMs = options.timeoutMs
    this.#logger = options.logger.child({ consumer: options.name })
    this.#derive = options.derive
  }

  /** Queues `message`; false when it was dropped because the queue is full or the runner stopped. */
  offer(message: VerifiedMessage): boolean {
    if (this.#stopped || this.#queue.length >= this.#queueSize) {
      this.#counts.dropped += 1
      this.#logger.warn(
        { topic: message.topic, msgId: message.msgId, queueSize: this.#queueSize },
        'consumer queue full: message dropped',
      )
      return false
    }
    this.#queue.push(message)
    this.#counts.dispatched += 1
    this.#running ??= this.#run()
    return true
  }

  /** Resolves once every queued message has been handled. */
  async drain(): Promise<void> {
    while (this.#running !== undefined) await this.#running
  }

  /** Stops taking messages, discards (and counts) the queued ones and aborts the call in progress. */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#counts.dropped += this.#queue.length
    this.#queue.length = 0
    this.#current?.abort(new Error('the hub is closing'))
    await this.drain()
  }

  stats(): ConsumerStats {
    return { ...this.#counts, queueDepth: this.#queue.length }
  }

  async #run(): Promise<void> {
    for (let message = this.#queue.shift(); message !== undefined; message = this.#queue.shift()) {
      await this.#consumeOne(message)
    }
    this.#running = undefined
  }

  async #consumeOne(message: VerifiedMessage): Promise<void> {
    const controller = new AbortController()
    this.#current = controller
    try {
      const pending = this.#consumer.consume(message, {
        signal: controller.signal,
        publish: (topic, body) => this.#derive(message, topic, body),
      })
      // A consumer that returned without a promise is done: no timer, no race (most of a hub's own cost per
      // message for a synchronous consumer, measured). One that returned a promise gets the time limit.
      if (isPromiseLike(pending)) await this.#settleWithin(pending, controller, message)
      else this.#counts.completed += 1
    } catch (error) {
      this.#counts.errors += 1
      this.#logger.error(
        { err: error, topic: message.topic, msgId: message.msgId },
        'consumer failed',
      )
    } finally {
      this.#current = undefined
    }
  }

  /** Waits for `pending` up to the time limit; counts it completed or timed out, rethrows its rejection. */
  async #settleWithin(
    pending: PromiseLike<unknown>,
    controller: AbortController,
    message: VerifiedMessage,
  ): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#timeoutMs)
    })
    try {
      const outcome = await Promise.race([
        Promise.resolve(pending).then(() => 'done' as const),
        timedOut,
      ])
      if (outcome === 'done') {
        this.#counts.completed += 1
        return
      }
      this.#counts.timeouts += 1
      controller.abort(new Error(`consume() ran past ${this.#timeoutMs} ms`))
      this.#logger.warn(
        { topic: message.topic, msgId: message.msgId, timeoutMs: this.#timeoutMs },
        'consumer timed out: moving on',
      )
    } finally {
      clearTimeout(timer)
    }
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
