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
 * Memory is bounded: past `maxPublishers`, the longest-unheard publisher is forgotten; and past
 * `maxSessionsPerSigner` (a tenth of it by default), a signer's own longest-unheard session, so that one
 * signer minting a new `session` header per message cannot push the others out unreported.
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
  readonly #maxSessionsPerSigner: number
  /** Tracked sessions per signer. */
  readonly #sessions = new Map<string, number>()
  readonly #startGapsAfter: number
  readonly #entries = new Map<string, Entry>()
  #gaps = 0
  #gapEvents = 0
  #restarts = 0
  #silent = 0
  #silentReports = 0
  #finished = 0

  constructor(options: {
    silentAfterMs: number
    maxPublishers?: number
    maxSessionsPerSigner?: number
    startGapsAfter?: number
  }) {
    this.#silentAfterMs = options.silentAfterMs
    this.#maxPublishers = options.maxPublishers ?? 10_000
    this.#maxSessionsPerSigner =
      options.maxSessionsPerSigner ?? Math.max(1, Math.floor(this.#maxPublishers / 10))
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
      this.#sessions.set(key.signer, (this.#sessions.get(key.signer) ?? 0) + 1)
      this.#evict(key.signer)
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
    const id = idOf(key)
    const entry = this.#entries.get(id)
    if (entry !== undefined) this.#forget(id, entry)
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

  /** After `signer` started a session: its own oldest one goes first, then the oldest of all. */
  #evict(signer: string): void {
    if ((this.#sessions.get(signer) ?? 0) > this.#maxSessionsPerSigner) {
      for (const [id, entry] of this.#entries) {
        if (entry.key.signer !== signer) continue
        this.#forget(id, entry)
        break
      }
    }
    while (this.#entries.size > this.#maxPublishers) {
      const [oldestId, oldest] = this.#entries.entries().next().value as [string, Entry]
      this.#forget(oldestId, oldest)
    }
  }

  #forget(id: string, entry: Entry): void {
    if (entry.silent) this.#silent -= 1
    this.#entries.delete(id)
    const left = (this.#sessions.get(entry.key.signer) ?? 1) - 1
    if (left > 0) this.#sessions.set(entry.key.signer, left)
    else this.#sessions.delete(entry.key.signer)
  }
}

function idOf(key: PublisherKey): string {
  return `${key.signer}\u0000${key.session ?? ''}`
}
