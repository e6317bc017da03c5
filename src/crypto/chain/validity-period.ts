import { Rejection } from '../../errors.js'

/** A certificate's validity (RFC 5280 §4.1.2.5), as ms since the epoch; both ends inclusive. */
export interface ValidityPeriod {
  /** Which certificate, for details. */
  readonly subject: string
  readonly notBefore: number
  readonly notAfter: number
}

/** When a chain is checked: the verifier's clock and the message's timestamp with its tolerated skew. */
export interface CheckInstant {
  readonly now: number
  readonly timestamp: number
  readonly skewMs: number
}

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * RFC 5280 §6.1.3 (a)(2): every certificate of the path, the anchor included, is valid now and was valid when
 * the message says it was signed (± skew). All expiries are checked before any not-yet-valid, as the reason
 * order fixes (`cert_expired` before `cert_not_yet_valid`).
 *
 * @example
 * ```ts
 * checkValidityPeriods(periods, { now: Date.now(), timestamp: envelope.timestamp, skewMs: 30_000 })
 * ```
 */
export function checkValidityPeriods(periods: readonly ValidityPeriod[], at: CheckInstant): void {
  // A NaN would compare false against every date and so pass every check: refuse it as misuse.
  if (![at.now, at.timestamp, at.skewMs].every(Number.isFinite)) {
    throw new TypeError('now, timestamp and skewMs must be finite numbers (ms)')
  }
  for (const period of periods) {
    if (at.now > period.notAfter) {
      throw new Rejection('cert_expired', `${period.subject} expired at ${iso(period.notAfter)}`)
    }
    if (at.timestamp - at.skewMs > period.notAfter) {
      throw new Rejection(
        'cert_expired',
        `${period.subject} expired at ${iso(period.notAfter)}, before the message timestamp`,
      )
    }
  }
  for (const period of periods) {
    if (at.now < period.notBefore) {
      throw new Rejection(
        'cert_not_yet_valid',
        `${period.subject} is valid from ${iso(period.notBefore)}`,
      )
    }
    if (at.timestamp + at.skewMs < period.notBefore) {
      throw new Rejection(
        'cert_not_yet_valid',
        `${period.subject} is valid from ${iso(period.notBefore)}, after the message timestamp`,
      )
    }
  }
}
