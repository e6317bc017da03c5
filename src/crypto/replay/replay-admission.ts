/**
 * The last check of docs/protocol.md §5 (check 12) as one component: whether a `msg_id` may be accepted, and
 * remembering it once it is. Every path that accepts messages goes through one: `EnvelopeVerifier` (the
 * inline path) and `VerifierPool` (the worker path). The in-memory {@link ReplayCache} is the default; a hub
 * uses a journaled one (`JournaledReplayAdmission`) so that what it accepted survives a restart.
 *
 * @example
 * ```ts
 * admission.admit(msgId, timestamp, now) // throws Rejection('replay') when seen before
 * admission.commit() // before the message is acted on: durable from here on
 * ```
 */
export interface ReplayAdmission {
  /**
   * Throws `Rejection('replay')` if `msgId` was admitted within the window (or may have been and was
   * forgotten); otherwise remembers it. Call only for a message that passed every other check.
   */
  admit(msgId: string, timestamp: number, now: number): void
  /**
   * Makes every admission so far durable, so that no later run admits them again. Call before acting on the
   * admitted messages; throws an operational error (`StateUnavailable`) when it cannot, and then none of them
   * may be acted on.
   */
  commit(): void
  /** Number of ids remembered. */
  readonly size: number
}
