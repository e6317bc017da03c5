import { Rejection } from '../../errors.js'

/** The clock rules a verifier applies to a message's `timestamp`. */
export interface FreshnessRules {
  /** Largest `now - timestamp` accepted, in ms; null accepts any age. */
  readonly maxAgeMs: number | null
  /** Largest `timestamp - now` accepted, in ms: publishers' clocks may run ahead by this much. */
  readonly clockSkewMs: number
  /** Messages stamped before this instant are refused as replays (docs/threat-model.md, "Replay across a restart"). */
  readonly notBeforeMs: number | undefined
}

/**
 * Checks 6–7 of docs/protocol.md §5: throws `Rejection('stale')` when the message is older than the maximum
 * age, `Rejection('future')` when it is stamped further ahead than the skew, and `Rejection('replay')` when it
 * predates `notBeforeMs`, with no skew allowed (docs/threat-model.md, "Replay across a restart").
 *
 * @example
 * ```ts
 * assertFresh(envelope.timestamp, Date.now(), { maxAgeMs: 300_000, clockSkewMs: 30_000, notBeforeMs: undefined })
 * ```
 */
export function assertFresh(timestamp: number, now: number, rules: FreshnessRules): void {
  if (rules.maxAgeMs !== null && now - timestamp > rules.maxAgeMs) {
    throw new Rejection(
      'stale',
      `message is ${now - timestamp} ms old; the limit is ${rules.maxAgeMs} ms`,
    )
  }
  if (timestamp - now > rules.clockSkewMs) {
    throw new Rejection(
      'future',
      `message is stamped ${timestamp - now} ms in the future; the allowed skew is ${rules.clockSkewMs} ms`,
    )
  }
  if (rules.notBeforeMs !== undefined && timestamp < rules.notBeforeMs) {
    throw new Rejection(
      'replay',
      "message predates this verifier's start and may have been seen before",
    )
  }
}
