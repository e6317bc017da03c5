import type { Logger } from 'pino'
import { fetchStored, type FillScope, type GapRequest, type StoredFrames } from './fetch-stored.js'
import { FillVerdicts, type GapFillStats } from './fill-verdicts.js'
import type { GapFillOptions } from './gap-fill-options.js'

/** How a gap filler hands envelopes to the hub's verifier (a promise: wait before submitting more). */
export type SubmitFill = (topic: Buffer, envelope: Buffer) => Promise<void> | undefined

/**
 * Fills a hub's sequence gaps from a store (docs/protocol.md, "Gap fill"): one request at a time to the
 * store's `/replay`, the envelopes it returns submitted, oldest `i` first, to the hub's own verifier, so they
 * pass every check a live message passes. A store that is down costs a log line per outage and a counter,
 * never a stall: requests run beside the receive loop, each bounded by `timeout_ms`, and at most `max_pending`
 * wait.
 *
 * @example
 * ```ts
 * const filler = new GapFiller(options, logger, (topic, envelope) => verifier.submit(topic, envelope))
 * filler.request({ signer: 'bodhi', session: 's1', fromI: 4, toI: 6 })
 * ```
 */
export class GapFiller {
  readonly verdicts: FillVerdicts
  readonly #options: GapFillOptions
  readonly #log: Logger
  readonly #submit: SubmitFill
  readonly #now: () => number
  readonly #maxEnvelopeBytes: number
  readonly #queue: FillScope[] = []
  readonly #counts = { requests: 0, failures: 0, skipped: 0 }
  #reachable = true
  #running: Promise<void> | undefined
  #closed = false

  constructor(
    options: GapFillOptions,
    context: { logger: Logger; now: () => number; maxEnvelopeBytes: number },
    submit: SubmitFill,
  ) {
    this.#options = options
    this.#log = context.logger
    this.#now = context.now
    this.#maxEnvelopeBytes = context.maxEnvelopeBytes
    this.#submit = submit
    this.verdicts = new FillVerdicts(context.logger)
  }

  /** Asks for a gap's messages (after those already asked for). */
  request(gap: GapRequest): void {
    this.#enqueue(gap)
  }

  /** Asks for everything the store holds within max_age_seconds: a restarted hub's catch-up. */
  catchUp(): void {
    this.#enqueue({ type: 'catch-up' })
  }

  stats(): GapFillStats {
    return { ...this.#counts, ...this.verdicts.counts }
  }

  /** Stops asking; waits for the request in flight (bounded by `timeout_ms`). */
  async close(): Promise<void> {
    this.#closed = true
    this.#queue.length = 0
    await this.#running
  }

  #enqueue(scope: FillScope): void {
    if (this.#closed) return
    if (this.#queue.length >= this.#options.maxPending) {
      this.#counts.skipped += 1
      return
    }
    this.#queue.push(scope)
    this.#running ??= this.#pump().finally(() => (this.#running = undefined))
  }

  async #pump(): Promise<void> {
    for (let scope = this.#queue.shift(); scope !== undefined; scope = this.#queue.shift()) {
      this.#counts.requests += 1
      let frames: StoredFrames[]
      try {
        frames = await fetchStored(this.#options, scope, this.#now(), this.#maxEnvelopeBytes)
      } catch (error) {
        this.#failed(error)
        continue
      }
      if (!this.#reachable) this.#log.info('gap fill: the store is reachable again')
      this.#reachable = true
      // What a live hub never receives (its subscription is `<topic_prefix>.`) does not come in this way either.
      const ours = frames.filter((frame) => frame.topic.startsWith(`${this.#options.topicPrefix}.`))
      this.verdicts.counts.unrequested += frames.length - ours.length
      const ordered = inOrder(scope, ours)
      this.#log.info({ ...scope, fetched: ordered.length }, 'gap fill')
      for (const { topic, envelope } of ordered) {
        if (this.#closed) return
        this.verdicts.noteFill(scope)
        await this.#submit(Buffer.from(topic, 'utf8'), Buffer.from(envelope, 'utf8'))
      }
    }
  }

  #failed(error: unknown): void {
    this.#counts.failures += 1
    // Once per outage, not once per gap.
    if (this.#reachable) {
      this.#log.warn(
        { err: { message: error instanceof Error ? error.message : String(error) } },
        'gap fill: the store cannot be reached: missing messages stay missing',
      )
    }
    this.#reachable = false
  }
}

/**
 * A gap's envelopes of its own session, by `i`; catch-up's as stored (oldest first). Read from the unverified
 * envelope only to choose and order what is submitted: the hub checks the verified message again.
 */
function inOrder(scope: FillScope, frames: readonly StoredFrames[]): StoredFrames[] {
  if (!('signer' in scope)) return [...frames]
  const keyed = frames.flatMap((frame) => {
    const seen = peek(frame.envelope)
    return seen !== undefined && seen.session === scope.session ? [{ frame, i: seen.i }] : []
  })
  return keyed.sort((a, b) => a.i - b.i).map((k) => k.frame)
}

function peek(envelope: string): { session: string | undefined; i: number } | undefined {
  try {
    const parsed = JSON.parse(envelope) as { i?: unknown; headers?: { session?: unknown } }
    const session = parsed.headers?.session
    if (typeof parsed.i !== 'number') return undefined
    return { session: typeof session === 'string' ? session : undefined, i: parsed.i }
  } catch {
    return undefined
  }
}
