/** Thresholds of `fedmsg check`: a value at or above one gives that state (Nagios plugin conventions). */
export interface CheckThresholds {
  /** Publishers a hub has not heard from for three heartbeat intervals. */
  readonly silentWarning?: number
  readonly silentCritical?: number
  /** Rejected messages, percent of received (since the component started). */
  readonly rejectWarning?: number
  readonly rejectCritical?: number
  /** Messages dropped: consumer queues full (hub), trigger queue full. */
  readonly dropsWarning?: number
  readonly dropsCritical?: number
}

/** The defaults, in one place: any drop or silent publisher warns; 1 % rejected warns, 10 % is critical. */
export const CHECK_DEFAULTS = {
  timeoutMs: 10_000,
  silentWarning: 1,
  rejectWarning: 1,
  rejectCritical: 10,
  dropsWarning: 1,
} as const satisfies CheckThresholds & { timeoutMs: number }

/** Exit codes of a Nagios plugin. */
export const CHECK_STATUS = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const
export type CheckState = keyof typeof CHECK_STATUS
