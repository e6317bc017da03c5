import { Rejection } from '../../errors.js'
import type { ReplayAdmission } from './replay-admission.js'

/**
 * Hard cap on remembered `msg_id`s. Only fully verified messages are recorded, so forged traffic cannot fill
 * the cache; valid traffic above 100 000 messages per window (about 300 messages/s with the default window)
 * reaches the cap. Then the oldest entry is forgotten and, to stay safe, every message stamped at or before
 * the forgotten one is refused as a replay: under overload late messages are dropped, never replayed.
 */
export const REPLAY_CACHE_MAX_ENTRIES = 100_000

/** One remembered id: when it is forgotten, and the timestamp of its message. */
export interface Seen {
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
export class ReplayCache implements ReplayAdmission {
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
      throw new Rejection(
        'replay',
        `message is stamped at or before ${this.#forgottenUpTo}, up to which accepted ids may have been forgotten (a full replay cache, or a replay journal missing or corrupt at start)`,
      )
    }
  }

  /** Remembers `msgId` until the window passes. Call only for a message that passed every check. */
  record(msgId: string, timestamp: number, now: number): void {
    this.restore(msgId, { expiresAt: now + this.#windowMs, timestamp })
  }

  /** {@link assertUnseen}, then {@link record}: the {@link ReplayAdmission} of one process's memory. */
  admit(msgId: string, timestamp: number, now: number): void {
    this.assertUnseen(msgId, timestamp, now)
    this.record(msgId, timestamp, now)
  }

  /** Nothing to do: memory is all there is. */
  commit(): void {}

  /** Timestamp of the newest entry forgotten because of the cap; -1 while nothing was. */
  get forgottenUpTo(): number {
    return this.#forgottenUpTo
  }

  /** Puts back an id a journal remembered, with its expiry; give them in the order they were recorded. */
  restore(msgId: string, entry: Seen): void {
    this.#seen.delete(msgId)
    this.#seen.set(msgId, entry)
    for (const [oldest, seen] of this.#seen) {
      if (this.#seen.size <= this.#maxEntries) break
      this.#seen.delete(oldest)
      this.#forgottenUpTo = Math.max(this.#forgottenUpTo, seen.timestamp)
    }
  }

  /** Puts back a journal's record that ids up to `timestamp` were forgotten because of the cap. */
  forgetUpTo(timestamp: number): void {
    this.#forgottenUpTo = Math.max(this.#forgottenUpTo, timestamp)
  }

  #forgetExpired(now: number): void {
    for (const [msgId, seen] of this.#seen) {
      if (seen.expiresAt > now) break
      this.#seen.delete(msgId)
    }
  }
}
