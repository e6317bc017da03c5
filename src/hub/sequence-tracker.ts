import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'

/** One publisher process: its signer and the random `session` header its publisher instance sends. */
export interface PublisherKey {
  readonly signer: string
  /** Absent for publishers that send no `session` header: their sequence is tracked per signer. */
  readonly session: string | undefined
}

/** What one verified message says about its publisher's sequence. */
export type SequenceObservation =
  | { readonly type: 'first' }
  | { readonly type: 'next' }
  | { readonly type: 'gap'; readonly missing: number }
  | { readonly type: 'restart'; readonly previous: number }

/** Totals for the hub's stats. */
export interface SequenceStats {
  /** Messages missing between consecutive ones of the same publisher, summed. */
  readonly gaps: number
  /** Times a sequence jumped. */
  readonly gapEvents: number
  /** Times a sequence went back (same session): the publisher restarted or reset its counter. */
  readonly restarts: number
  /** Publishers currently tracked. */
  readonly publishers: number
  /** Tracked publishers not heard from for `silentAfterMs` now. */
  readonly silent: number
  /** Times a publisher was reported silent (once per silence). */
  readonly silentReports: number
  /** Publishers that closed cleanly (their goodbye heartbeat) and are no longer tracked. */
  readonly finished: number
}

interface Entry {
  readonly key: PublisherKey
  lastI: number
  lastSeen: number
  silent: boolean
}

/**
 * Follows the per-publisher sequence `i` of verified messages (heartbeats included) to find lost messages
 * and silent publishers. A publisher that said goodbye (heartbeat-body.ts) has finished: it is forgotten, so
 * it never counts as silent, while one that stops without a goodbye (crashed, killed, cut off) does.
 * Memory is bounded: past `maxPublishers`, the longest-unheard publisher is forgotten.
 *
 * @example
 * ```ts
 * const tracker = new SequenceTracker({ silentAfterMs: 15_000 })
 * tracker.observe({ signer: 'bodhi', session: 's1' }, 1, Date.now()) // { type: 'first' }
 * tracker.observe({ signer: 'bodhi', session: 's1' }, 3, Date.now()) // { type: 'gap', missing: 1 }
 * ```
 */
export class SequenceTracker {
  readonly #silentAfterMs: number
  readonly #maxPublishers: number
  readonly #startGapsAfter: number
  readonly #entries = new Map<string, Entry>()
  #gaps = 0
  #gapEvents = 0
  #restarts = 0
  #silent = 0
  #silentReports = 0
  #finished = 0

  constructor(options: { silentAfterMs: number; maxPublishers?: number; startGapsAfter?: number }) {
    this.#silentAfterMs = options.silentAfterMs
    this.#maxPublishers = options.maxPublishers ?? 10_000
    this.#startGapsAfter = options.startGapsAfter ?? Number.POSITIVE_INFINITY
  }

  /**
   * Records message `i` of `key`, heard at `now`. `sessionStart` is when the publisher's session began (its
   * `session_start` header): a session first heard at `i` > 1 that began after `startGapsAfter` (when the
   * hub was surely listening) lost its first `i - 1` messages, a gap like any other.
   */
  observe(key: PublisherKey, i: number, now: number, sessionStart?: number): SequenceObservation {
    const id = idOf(key)
    const entry = this.#entries.get(id)
    // Re-inserting keeps the map in least-recently-heard order for eviction.
    this.#entries.delete(id)
    if (entry === undefined) {
      this.#entries.set(id, { key, lastI: i, lastSeen: now, silent: false })
      this.#evict()
      if (i === 1 || sessionStart === undefined || sessionStart <= this.#startGapsAfter) {
        return { type: 'first' }
      }
      return this.#gap(i - 1)
    }
    this.#entries.set(id, entry)
    if (entry.silent) this.#silent -= 1
    const previous = entry.lastI
    Object.assign(entry, { lastI: i, lastSeen: now, silent: false })
    if (i === previous + 1) return { type: 'next' }
    if (i > previous + 1) return this.#gap(i - previous - 1)
    this.#restarts += 1
    return { type: 'restart', previous }
  }

  /**
   * Records a verified message of its signer's `session` (header) heard at `now`, with the session's
   * `session_start` header; a goodbye (heartbeat-body.ts) also ends the session.
   */
  record(
    message: Pick<VerifiedMessage, 'signer' | 'headers' | 'i'>,
    goodbye: boolean,
    now: number,
  ): { key: PublisherKey; seen: SequenceObservation } {
    const key = { signer: message.signer.name, session: message.headers['session'] }
    const started = message.headers['session_start']
    // Decimal ms since the epoch; anything else is not known.
    const sessionStart =
      started !== undefined && /^\d{1,16}$/.test(started) ? Number(started) : undefined
    const seen = goodbye
      ? this.finish(key, message.i, now)
      : this.observe(key, message.i, now, sessionStart)
    return { key, seen }
  }

  /** Records `key`'s goodbye, message `i`, heard at `now`: checked like any message, then forgotten. */
  finish(key: PublisherKey, i: number, now: number): SequenceObservation {
    const seen = this.observe(key, i, now)
    this.#entries.delete(idOf(key))
    this.#finished += 1
    return seen
  }

  /** Publishers that just went silent (each reported once until heard from again). */
  takeNewlySilent(now: number): PublisherKey[] {
    const found: PublisherKey[] = []
    for (const entry of this.#entries.values()) {
      if (!entry.silent && now - entry.lastSeen >= this.#silentAfterMs) {
        entry.silent = true
        this.#silent += 1
        this.#silentReports += 1
        found.push(entry.key)
      }
    }
    return found
  }

  stats(): SequenceStats {
    return {
      gaps: this.#gaps,
      gapEvents: this.#gapEvents,
      restarts: this.#restarts,
      publishers: this.#entries.size,
      silent: this.#silent,
      silentReports: this.#silentReports,
      finished: this.#finished,
    }
  }

  #gap(missing: number): SequenceObservation {
    this.#gaps += missing
    this.#gapEvents += 1
    return { type: 'gap', missing }
  }

  #evict(): void {
    while (this.#entries.size > this.#maxPublishers) {
      const [oldestId, oldest] = this.#entries.entries().next().value as [string, Entry]
      if (oldest.silent) this.#silent -= 1
      this.#entries.delete(oldestId)
    }
  }
}

function idOf(key: PublisherKey): string {
  return `${key.signer}\u0000${key.session ?? ''}`
}
