import type { Logger } from 'pino'
import type { RejectReason } from '../errors.js'
import type { Rejected, VerifyResult } from '../crypto/envelope/verified-message.js'
import type { SendQueue } from '../publisher/send-queue.js'
import { encodeAck } from '../transport/relay-protocol.js'
import type { VerdictSink } from '../verification/message-verifier.js'
import type { RejectionLog } from '../verification/rejection-log.js'

/** A message the relay received: its two frames, and whom to acknowledge it to (inbound only). */
export interface HeldMessage {
  readonly topic: Buffer
  readonly envelope: Buffer
  /** The ROUTER's peer frame and the DEALER's request id; absent for what came from upstream. */
  readonly reply?: readonly [peer: Buffer, requestId: Buffer]
}

/** What the forwarder sends on and counts with. */
export interface ForwarderParts {
  /** The outbound PUB's queue. */
  readonly out: SendQueue
  /** The inbound ROUTER's queue, for acknowledgements. */
  readonly acks: SendQueue
  readonly rejections: RejectionLog
  readonly logger: Logger
  readonly now: () => number
  /** Messages the outbound queue may hold before the relay stops reading. */
  readonly capacity: number
}

/**
 * The relay's end of its `MessageVerifier`: holds each submitted message until its verdict, then forwards it
 * byte for byte (`[topic, envelope]` as received) and acknowledges it `ok` once the outbound socket took it,
 * or counts and logs its rejection and acknowledges `rejected:<reason>`. Verdicts come in submission order,
 * each naming the envelope frame it is for, so forwarding keeps each publisher's order, and held messages
 * that a verdict passes over were lost (a verifier thread died): they are neither forwarded nor
 * acknowledged, and their publishers' acknowledgements time out.
 *
 * @example
 * ```ts
 * const forwarder = new VerdictForwarder({ out, acks, rejections, logger, now: Date.now, capacity: 1000 })
 * verifier.deliverTo(forwarder)
 * forwarder.hold({ topic, envelope, reply: [peer, requestId] })
 * verifier.submit(topic, envelope)
 * ```
 */
export class VerdictForwarder implements VerdictSink {
  readonly #parts: ForwarderParts
  readonly #held: HeldMessage[] = []
  #received = 0
  #forwarded = 0
  #lost = 0

  constructor(parts: ForwarderParts) {
    this.#parts = parts
  }

  /** Messages with their outcome: forwarded, rejected or lost (so the three add up to it at every moment). */
  get received(): number {
    return this.#received
  }

  /** Messages handed to the outbound socket. */
  get forwarded(): number {
    return this.#forwarded
  }

  /** Messages lost with a verifier thread: neither forwarded nor acknowledged. */
  get lost(): number {
    return this.#lost
  }

  /** Keeps `message` for the verdict of the next submission. */
  hold(message: HeldMessage): void {
    this.#held.push(message)
  }

  onResult(result: VerifyResult, _verifyMs: number, envelopeFrame: Uint8Array): void {
    // Lost messages get no verdict: the ones before this verdict's message are dropped here, counted by onLost.
    let message = this.#held.shift()
    while (message !== undefined && message.envelope !== envelopeFrame) message = this.#held.shift()
    if (message === undefined) return
    if (result.ok) void this.forward(message)
    else this.reject(result, message.reply)
  }

  onLost(count: number, cause: unknown): void {
    this.#received += count
    this.#lost += count
    this.#parts.logger.error(
      { err: cause, lost: count },
      'a verifier worker thread died and was replaced: its messages were dropped unverified and not acknowledged',
    )
  }

  /** Sends `message` on, then acknowledges it; resolves once both are queued in order. */
  async forward(message: HeldMessage): Promise<void> {
    this.#received += 1
    this.#forwarded += 1
    try {
      await this.#parts.out.send([message.topic, message.envelope])
    } catch (error) {
      this.#parts.logger.error({ err: error }, 'relay could not forward a message')
      return
    }
    await this.#acknowledge(message.reply)
  }

  /** Counts and logs `rejected`, and tells its publisher why (inbound). */
  reject(rejected: Rejected, reply: HeldMessage['reply']): void {
    this.#received += 1
    this.#parts.rejections.record(rejected, this.#parts.now())
    void this.#acknowledge(reply, rejected.reason)
  }

  /** Undefined while the outbound queue has room; else resolves once it has drained. */
  room(): Promise<void> | undefined {
    const { out, capacity } = this.#parts
    return out.depth < capacity ? undefined : out.drained()
  }

  async #acknowledge(reply: HeldMessage['reply'], reason?: RejectReason): Promise<void> {
    if (reply === undefined) return
    try {
      await this.#parts.acks.send([...reply, encodeAck(reason)])
    } catch {
      // The ROUTER drops what it cannot route without an error, so this is a closed socket: the relay is
      // stopping, and the publisher learns nothing, as when the relay is gone.
    }
  }
}
