import { Rejection, type RejectReason } from '../../errors.js'
import type { Rejected, VerifiedMessage, VerifyResult } from './verified-message.js'

/** What the checks have learnt of a message so far, so that a rejection can say which topic and signer. */
export interface RejectedAbout {
  topic?: string | undefined
  signer?: string | undefined
}

/** The ZeroMQ frames of one fedmsg/1 message: topic, envelope (docs/protocol.md §1). */
export const FRAMES_PER_MESSAGE = 2

/**
 * The one builder of a {@link Rejected} result: members that are not known are absent, not `undefined`.
 *
 * @example
 * ```ts
 * rejected('schema_invalid', 'body.n must be a string', { topic, signer: 'bodhi' })
 * ```
 */
export function rejected(
  reason: RejectReason,
  detail: string,
  about: RejectedAbout = {},
): Rejected {
  const { topic, signer } = about
  return {
    ok: false,
    reason,
    detail,
    ...(topic === undefined ? {} : { topic }),
    ...(signer === undefined ? {} : { signer }),
  }
}

/**
 * Runs the checks of one message and gives their verdict: the one place a `Rejection` becomes a result. Any other
 * error is a bug met on hostile input: the message still must not pass, nor crash its consumer. `about` is read
 * after `check` ran, so what the checks recorded in it before failing reaches the result.
 *
 * @example
 * ```ts
 * const result = verdictOf(progress, () => checkEverything(frames, progress))
 * ```
 */
export function verdictOf(about: RejectedAbout, check: () => VerifiedMessage): VerifyResult {
  try {
    return { ok: true, message: check() }
  } catch (error) {
    const { reason, detail } =
      error instanceof Rejection
        ? error
        : new Rejection('malformed', `unexpected error: ${String(error)}`)
    return rejected(reason, detail, about)
  }
}

/**
 * Check 0 of docs/protocol.md §5, decided here only: a message of any other number of frames than two is
 * `malformed` before any other check, `oversize` included. Every receiver (hub, relay, tail, the verifiers)
 * asks this function. Undefined when the count is right.
 *
 * @example
 * ```ts
 * const wrong = frameCountRejection(frames.length) // a Rejected, or undefined for 2
 * ```
 */
export function frameCountRejection(count: number): Rejected | undefined {
  if (count === FRAMES_PER_MESSAGE) return undefined
  return rejected('malformed', `a fedmsg/1 message has 2 frames, this one ${count}`)
}
