import type { Logger } from 'pino'
import type { Rejected } from '../crypto/envelope/verified-message.js'
import { emptyRejectCounts, type RejectCounts } from './reject-counts.js'

interface Window {
  startedAt: number
  suppressed: number
}

/**
 * Where every verifying component (hub, relay, tail) counts a rejected message by reason and logs it, without
 * letting a flood of them flood the log: one line per (reason, signer, topic)
 * per interval, carrying how many identical ones were held back since the previous line. Signer and topic are
 * what the message claimed (not proof of who sent it). The set of keys is bounded, since an attacker picks them.
 *
 * @example
 * ```ts
 * const log = new RejectionLog(logger, 10_000)
 * log.record({ ok: false, reason: 'bad_signature', detail: '…', topic: 't', signer: 'bodhi' }, Date.now())
 * ```
 */
export class RejectionLog {
  readonly #logger: Logger
  readonly #intervalMs: number
  readonly #maxKeys: number
  readonly #windows = new Map<string, Window>()
  readonly #counts = emptyRejectCounts()

  constructor(logger: Logger, intervalMs = 10_000, maxKeys = 10_000) {
    this.#logger = logger
    this.#intervalMs = intervalMs
    this.#maxKeys = maxKeys
  }

  /** Counts `rejected` and logs it unless the same (reason, signer, topic) was logged within the interval. */
  record(rejected: Rejected, now: number): void {
    this.#counts[rejected.reason] += 1
    const key = `${rejected.reason}\u0000${rejected.signer ?? ''}\u0000${rejected.topic ?? ''}`
    const window = this.#windows.get(key)
    if (window !== undefined && now - window.startedAt < this.#intervalMs) {
      window.suppressed += 1
      return
    }
    this.#logger.warn(
      {
        reason: rejected.reason,
        signer: rejected.signer,
        topic: rejected.topic,
        detail: rejected.detail,
        suppressed: window?.suppressed ?? 0,
      },
      'message rejected',
    )
    this.#windows.delete(key)
    this.#windows.set(key, { startedAt: now, suppressed: 0 })
    this.#prune(now)
  }

  /** Rejected messages so far, by reason. */
  counts(): RejectCounts {
    return { ...this.#counts }
  }

  #prune(now: number): void {
    if (this.#windows.size <= this.#maxKeys) return
    for (const [key, window] of this.#windows) {
      if (now - window.startedAt >= this.#intervalMs) this.#windows.delete(key)
    }
    // Still full of live windows: forget the oldest, at worst logging it again early.
    for (const key of this.#windows.keys()) {
      if (this.#windows.size <= this.#maxKeys) break
      this.#windows.delete(key)
    }
  }
}
