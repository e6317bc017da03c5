import { setImmediate } from 'node:timers/promises'
import { Subscriber } from 'zeromq'
import type { CurveConfig } from '../config/config-types.js'
import { frameCountRejection } from '../crypto/envelope/verdict.js'
import type { Rejected } from '../crypto/envelope/verified-message.js'
import { ConfigInvalid } from '../errors.js'
import { curveClientOptions, receivingSocketOptions, type SocketTuning } from './socket-options.js'

/** Longest the receive loop runs without giving the event loop a turn. */
const YIELD_EVERY_MS = 5

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
  /**
   * A message of exactly two frames, as received (Buffers, never decoded here). When it returns a promise, the
   * loop reads nothing more until it settles: backpressure, down to the socket's ZMQ_RCVHWM and TCP.
   */
  onMessage(topic: Buffer, envelope: Buffer): void | Promise<void>
  /** A message with another frame count: not a fedmsg/1 message, with its `malformed` verdict. */
  onMalformed(rejected: Rejected): void
  /** A peer connection dropped; libzmq also drops the peer that sent a frame over ZMQ_MAXMSGSIZE. */
  onDisconnect?(address: string): void
  /** The ZMTP handshake with a publisher succeeded (ZMQ_EVENT_HANDSHAKE_SUCCEEDED); the subscription follows. */
  onHandshake?(address: string): void
  /** `onMessage` threw (or its promise rejected); the loop keeps running. */
  onHandlerError?(error: unknown): void
}

/**
 * One SUB socket connected to many publishers, read by one `for await` loop. It passes frames on untouched:
 * it never parses or decodes an envelope.
 *
 * @example
 * ```ts
 * const sub = new FrameSubscriber({ addresses: ['tcp://127.0.0.1:9940'], prefixes: ['org.fedoraproject.'], tuning })
 * const done = sub.run({ onMessage: (topic, env) => log(verifier.verify(topic, env)), onMalformed: () => count++ })
 * sub.close()
 * await done
 * ```
 */
export class FrameSubscriber {
  readonly #socket: Subscriber
  readonly #addresses = new Set<string>()
  readonly #reconnectIvlMs: number
  readonly #recoveries = new Map<string, NodeJS.Timeout>()

  constructor(options: FrameSubscriberOptions) {
    this.#socket = new Subscriber({
      ...receivingSocketOptions(options.tuning),
      // ZMQ_LINGER 0: a SUB socket only queues its subscriptions, for publishers that may be down; flushing
      // those would only hold up the process's exit by linger_ms.
      linger: 0,
      ...curveClientOptions(options.curve),
    })
    this.#reconnectIvlMs = options.tuning.reconnectIvlMs
    this.#socket.subscribe(...options.prefixes)
    this.#watchForDeadSessions()
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
      this.#addresses.add(address)
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
    if (events.onHandshake !== undefined) {
      const onHandshake = events.onHandshake
      this.#socket.events.on('handshake', (event) => onHandshake(event.address))
    }
    let lastTurn = performance.now()
    try {
      for await (const frames of this.#socket) {
        // zeromq.js hands over queued messages without a turn of the event loop in between, so a flood would
        // starve timers and I/O (consumer timeouts, CRL polls, the silence check, /metrics): yield now and then.
        if (performance.now() - lastTurn > YIELD_EVERY_MS) {
          await setImmediate()
          lastTurn = performance.now()
        }
        const wrongCount = frameCountRejection(frames.length)
        if (wrongCount !== undefined) {
          events.onMalformed(wrongCount)
          continue
        }
        try {
          // Awaited only when a promise comes back, so that a synchronous handler costs no extra turn.
          const pending = events.onMessage(frames[0]!, frames[1]!)
          if (pending !== undefined) await pending
        } catch (error) {
          events.onHandlerError?.(error)
        }
      }
    } catch (error) {
      // close() while the loop was between reads (awaiting a handler or its turn): the next read finds the
      // socket closed (ENOTSOCK). That is the end of the loop, not a failure.
      if (!this.#socket.closed) throw error
    }
  }

  /** Closes the socket, which ends the loop of `run()`. */
  close(): void {
    for (const timer of this.#recoveries.values()) clearTimeout(timer)
    this.#recoveries.clear()
    this.#socket.close()
  }

  // libzmq reconnects after a connection error, announcing it with a connect:retry event, but it ends the
  // session for good after a protocol error, which includes a frame over ZMQ_MAXMSGSIZE: one oversize message
  // (from a `--no-verify` relay, say) would cut this subscriber off that endpoint forever. So a disconnect that
  // no retry follows within the reconnect interval is followed by a fresh connect. The disconnect() first
  // ends any session libzmq still holds for the address, so that there is never a second one (which would
  // deliver every message twice).
  #watchForDeadSessions(): void {
    const events = this.#socket.events
    events.on('disconnect', ({ address }) => {
      if (!this.#addresses.has(address) || this.#recoveries.has(address)) return
      const timer = setTimeout(() => this.#reconnect(address), Math.max(this.#reconnectIvlMs, 100))
      timer.unref()
      this.#recoveries.set(address, timer)
    })
    const retrying = ({ address }: { address: string }) => {
      clearTimeout(this.#recoveries.get(address))
      this.#recoveries.delete(address)
    }
    events.on('connect:retry', retrying)
    events.on('connect:delay', retrying)
    events.on('connect', retrying)
  }

  #reconnect(address: string): void {
    this.#recoveries.delete(address)
    if (this.#socket.closed) return
    try {
      this.#socket.disconnect(address)
    } catch {
      // ENOENT: libzmq already forgot the endpoint, which is the case this recovers from.
    }
    this.#socket.connect(address)
  }
}
