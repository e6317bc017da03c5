import type { RejectReason } from '../errors.js'
import { RelayRejected, RelayTimeout } from '../errors.js'

/**
 * What became of the messages of one `fedmsg logger --json-input` run, for its closing summary on stderr.
 *
 * @example
 * ```ts
 * const tally = new SendTally()
 * tally.sent()
 * tally.failed(new RelayRejected(topic, 'policy_denied'))
 * tally.summary() // 'fedmsg logger: 1 sent, 0 acknowledged, 1 refused (policy_denied 1)'
 * ```
 */
export class SendTally {
  #sent = 0
  #acknowledged = 0
  readonly #refused = new Map<RejectReason, number>()
  #unanswered = 0
  #otherFailures = 0
  #skipped = 0

  /** A message handed to the publisher. */
  sent(): void {
    this.#sent += 1
  }

  acknowledged(): void {
    this.#acknowledged += 1
  }

  /** A sent message that was not acknowledged: refused (by reason), timed out, or failed otherwise. */
  failed(error: unknown): void {
    if (error instanceof RelayRejected) {
      this.#refused.set(error.reason, (this.#refused.get(error.reason) ?? 0) + 1)
    } else if (error instanceof RelayTimeout) this.#unanswered += 1
    else this.#otherFailures += 1
  }

  /** An input line that was not sent (not a JSON object). */
  skipped(): void {
    this.#skipped += 1
  }

  /**
   * `fedmsg logger: 3 sent, 1 acknowledged, 2 refused (policy_denied 2)`, then, when non-zero, those not
   * acknowledged in time, other failures, and input lines not sent.
   */
  summary(): string {
    const refused = [...this.#refused].sort(([a], [b]) => (a < b ? -1 : 1))
    const refusedTotal = refused.reduce((sum, [, n]) => sum + n, 0)
    const byReason = refused.map(([reason, n]) => `${reason} ${n}`).join(', ')
    const parts = [
      `${this.#sent} sent`,
      `${this.#acknowledged} acknowledged`,
      `${refusedTotal} refused${refusedTotal === 0 ? '' : ` (${byReason})`}`,
    ]
    if (this.#unanswered > 0) parts.push(`${this.#unanswered} not acknowledged in time`)
    if (this.#otherFailures > 0) parts.push(`${this.#otherFailures} failed`)
    const skipped =
      this.#skipped === 0
        ? ''
        : `; ${this.#skipped} ${this.#skipped === 1 ? 'line' : 'lines'} not sent (not a JSON object)`
    return `fedmsg logger: ${parts.join(', ')}${skipped}`
  }
}
