import { isRejectReason, type RejectReason } from '../errors.js'

/**
 * The relay's inbound protocol (DEALER → ROUTER), which short-lived publishers use instead of PUB → SUB so
 * that nothing is lost to ZeroMQ's slow-joiner problem and the publisher learns that the relay has the message.
 *
 * ```
 * publisher DEALER  --[request id, topic, envelope]-->  ROUTER relay  --[topic, envelope]--> PUB
 *                   <--[request id, status]-----------
 * ```
 * The request id is the publisher's own opaque correlation token (acks can arrive after a timeout, or not at
 * all when a relay restarts); the relay echoes it. Status is `ok` or `rejected:<reason code>`. Only
 * `[topic, envelope]` goes on to the bus: the request id never leaves this hop.
 */

const OK = 'ok'
const REJECTED = 'rejected:'

/** The relay's answer to one inbound message. */
export type RelayAck = { readonly ok: true } | { readonly ok: false; readonly reason: RejectReason }

/** The status frame for an accepted message, or one rejected for `reason`. */
export function encodeAck(reason?: RejectReason): Buffer {
  return Buffer.from(reason === undefined ? OK : `${REJECTED}${reason}`)
}

/** Reads a status frame; an unknown status reads as a `malformed` rejection, never as success. */
export function decodeAck(frame: Buffer): RelayAck {
  const status = frame.toString('utf8')
  if (status === OK) return { ok: true }
  const reason = status.startsWith(REJECTED) ? status.slice(REJECTED.length) : ''
  return { ok: false, reason: isRejectReason(reason) ? reason : 'malformed' }
}

/** Correlation tokens for one publisher: a counter, unique for the socket's lifetime. */
export class RequestIds {
  #next = 0n

  /** The next token, as the 8-byte big-endian frame that goes on the wire. */
  next(): Buffer {
    this.#next += 1n
    const frame = Buffer.alloc(8)
    frame.writeBigUInt64BE(this.#next)
    return frame
  }
}

/** The map key of a request id frame. */
export function requestKey(frame: Buffer): string {
  return frame.toString('hex')
}
