// @ts-check
/**
 * Send instants that another process on this machine can subtract from its own clock: `performance.timeOrigin
 * + performance.now()`, the process's start in Unix time (high resolution) plus the monotonic time since. Two
 * processes' readings agree within about 20 µs here (checked against CLOCK_MONOTONIC); the same sending process
 * serves a figure and its baseline, so its offset is the same for both.
 */
import { performance } from 'node:perf_hooks'

/** Milliseconds, fractional, comparable between processes of this machine. */
export const sharedNow = () => performance.timeOrigin + performance.now()

/**
 * A fedmsg message body carrying its send instant.
 *
 * @param {Record<string, unknown>} msg
 * @param {number} sentAt sharedNow() at the send
 * @param {boolean} measured false during warm-up
 */
export function stampedBody(msg, sentAt, measured) {
  return { ...msg, bench: { sent_at: sentAt, measured } }
}

/**
 * The send instant of a body made by stampedBody, or undefined for any other body (the receiver ignores those).
 *
 * @param {Readonly<Record<string, unknown>>} body
 * @returns {number | undefined}
 */
export function measuredStamp(body) {
  const bench = /** @type {{ sent_at?: unknown, measured?: unknown } | undefined} */ (body.bench)
  return bench?.measured === true && typeof bench.sent_at === 'number' ? bench.sent_at : undefined
}

/**
 * A bare frame of `bytes` bytes carrying the send instant (float64 at 0) and the measured flag (byte 8).
 *
 * @param {number} bytes
 * @param {number} sentAt
 * @param {boolean} measured
 */
export function bareFrame(bytes, sentAt, measured) {
  const frame = Buffer.alloc(bytes)
  frame.writeDoubleLE(sentAt, 0)
  frame[8] = measured ? 1 : 0
  return frame
}

/**
 * The send instant of a measured bare frame, else undefined.
 *
 * @param {Buffer} frame
 * @returns {number | undefined}
 */
export function bareStamp(frame) {
  return frame.length >= 9 && frame[8] === 1 ? frame.readDoubleLE(0) : undefined
}
