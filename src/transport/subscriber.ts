import { Subscriber } from 'zeromq'
import type { CurveConfig } from '../config/config-types.js'
import { ConfigInvalid } from '../errors.js'
import { curveClientOptions, receivingSocketOptions, type SocketTuning } from './socket-options.js'

/** Where a subscriber connects and what it asks the publishers for. */
export interface FrameSubscriberOptions {
  /** Addresses of PUB sockets (publishers' endpoints, relay outbounds). */
  readonly addresses: readonly string[]
  /**
   * ZeroMQ prefix subscriptions, filtered by the publisher. Coarse on purpose: the exact pattern match happens
   * after verification, on the verified topic.
   */
  readonly prefixes: readonly string[]
  readonly tuning: SocketTuning
  readonly curve?: CurveConfig
}

/** What the receive loop reports besides well-formed messages. */
export interface FrameSubscriberEvents {
  /** A message of exactly two frames, as received (Buffers, never decoded here). */
  onMessage(topic: Buffer, envelope: Buffer): void
  /** A message with another frame count: not a fedmsg/1 message (counted as `malformed`). */
  onMalformed(frameCount: number): void
  /** A peer connection dropped; libzmq also drops the peer that sent a frame over ZMQ_MAXMSGSIZE. */
  onDisconnect?(address: string): void
  /** `onMessage` threw; the loop keeps running. */
  onHandlerError?(error: unknown): void
}

/**
 * One SUB socket connected to many publishers, read by one `for await` loop. It passes frames on untouched:
 * it never parses or decodes an envelope.
 *
 * @example
 * ```ts
 * const sub = new FrameSubscriber({ addresses: ['tcp://127.0.0.1:9940'], prefixes: ['org.fedoraproject.'], tuning })
 * const done = sub.run({ onMessage: (topic, env) => verifier.verify(topic, env), onMalformed: () => count++ })
 * sub.close()
 * await done
 * ```
 */
export class FrameSubscriber {
  readonly #socket: Subscriber

  constructor(options: FrameSubscriberOptions) {
    this.#socket = new Subscriber({
      ...receivingSocketOptions(options.tuning),
      ...curveClientOptions(options.curve),
    })
    this.#socket.subscribe(...options.prefixes)
    try {
      for (const address of options.addresses) this.connect(address)
    } catch (error) {
      this.#socket.close()
      throw error
    }
  }

  /** Connects to one more publisher; throws ConfigInvalid for an address that cannot be connected to. */
  connect(address: string): void {
    try {
      this.#socket.connect(address)
    } catch (error) {
      throw new ConfigInvalid(
        `cannot connect to ${address}: subscribers connect to every endpoint, so give a host name or IP, not *`,
        {},
        { cause: error },
      )
    }
  }

  /** Runs the receive loop; resolves when the socket is closed. */
  async run(events: FrameSubscriberEvents): Promise<void> {
    if (events.onDisconnect !== undefined) {
      const onDisconnect = events.onDisconnect
      this.#socket.events.on('disconnect', (event) => onDisconnect(event.address))
    }
    for await (const frames of this.#socket) {
      if (frames.length !== 2) {
        events.onMalformed(frames.length)
        continue
      }
      try {
        events.onMessage(frames[0]!, frames[1]!)
      } catch (error) {
        events.onHandlerError?.(error)
      }
    }
  }

  /** Closes the socket, which ends the loop of `run()`. */
  close(): void {
    this.#socket.close()
  }
}
