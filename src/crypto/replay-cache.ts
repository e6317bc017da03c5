import { Rejection } from '../errors.js'

/**
 * Hard cap on remembered `msg_id`s. Only fully verified messages are recorded, so forged traffic cannot fill
 * the cache; valid traffic above 100 000 messages per window (about 300 messages/s with the default window)
 * reaches the cap. Then the oldest entry is forgotten and, to stay safe, every message stamped at or before
 * the forgotten one is refused as a replay: under overload late messages are dropped, never replayed.
 */
export const REPLAY_CACHE_MAX_ENTRIES = 100_000

interface Seen {
  readonly expiresAt: number
  readonly timestamp: number
}

/**
 * The `msg_id`s accepted within the replay window (docs/protocol.md §5, check 12).
 *
 * @example
 * ```ts
 * const cache = new ReplayCache(330_000)
 * cache.assertUnseen(msgId, timestamp, now) // throws Rejection('replay') on a second sighting
 * cache.record(msgId, timestamp, now)
 * ```
 */
export class ReplayCache {
  // A Map iterates in insertion order; with a steady clock that is also expiry order.
  readonly #seen = new Map<string, Seen>()
  readonly #windowMs: number
  readonly #maxEntries: number
  /** Timestamp of the newest entry forgotten because of the cap; -1 while nothing was. */
  #forgottenUpTo = -1

  /** `windowMs` is how long an id is remembered: Infinity keeps ids until the cap pushes them out. */
  constructor(windowMs: number, maxEntries = REPLAY_CACHE_MAX_ENTRIES) {
    this.#windowMs = windowMs
    this.#maxEntries = maxEntries
  }

  /** Number of ids remembered. */
  get size(): number {
    return this.#seen.size
  }

  /** Throws `Rejection('replay')` if `msgId` was recorded within the window or may have been forgotten. */
  assertUnseen(msgId: string, timestamp: number, now: number): void {
    this.#forgetExpired(now)
    if (this.#seen.has(msgId)) {
      throw new Rejection('replay', `msg_id ${msgId} was already accepted`)
    }
    if (timestamp <= this.#forgottenUpTo) {
      throw new Rejection('replay', 'message is older than ids the full replay cache had to forget')
    }
  }

  /** Remembers `msgId` until the window passes. Call only for a message that passed every check. */
  record(msgId: string, timestamp: number, now: number): void {
    this.#seen.set(msgId, { expiresAt: now + this.#windowMs, timestamp })
    for (const [oldest, seen] of this.#seen) {
      if (this.#seen.size <= this.#maxEntries) break
      this.#seen.delete(oldest)
      this.#forgottenUpTo = Math.max(this.#forgottenUpTo, seen.timestamp)
    }
  }

  #forgetExpired(now: number): void {
    for (const [msgId, seen] of this.#seen) {
      if (seen.expiresAt > now) break
      this.#seen.delete(msgId)
    }
  }
}
