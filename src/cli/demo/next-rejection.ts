import { setTimeout as delay } from 'node:timers/promises'
import { REJECT_REASONS, type RejectReason } from '../../errors.js'
import type { RejectCounts } from '../../verification/reject-counts.js'

/** How often the hub's counts are read while a forgery is on its way: its stats have no event. */
const POLL_MS = 5

/**
 * The reason of the first rejection the hub counts after `before` (a copy of its counts taken before the
 * forgery was sent), or undefined when none comes within `timeoutMs`. The demo's forger sends one message
 * at a time and its services' genuine messages pass, so the count that rises is the forgery's.
 *
 * @example
 * ```ts
 * const before = { ...hub.stats().rejected }
 * await forger.attack()
 * console.log(await nextRejection(() => hub.stats().rejected, before, 2000)) // 'malformed'
 * ```
 */
export async function nextRejection(
  counts: () => Readonly<RejectCounts>,
  before: Readonly<RejectCounts>,
  timeoutMs: number,
): Promise<RejectReason | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const now = counts()
    const risen = REJECT_REASONS.find((reason) => now[reason] > before[reason])
    if (risen !== undefined || Date.now() >= deadline) return risen
    await delay(POLL_MS)
  }
}
