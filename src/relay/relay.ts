import { Publisher, Router } from 'zeromq'
import type { Logger } from 'pino'
import { bindAddress } from '../transport/bind-address.js'
import type { RejectCounts } from '../verification/reject-counts.js'
import { RejectionLog } from '../verification/rejection-log.js'
import { frameCountRejection } from '../crypto/envelope/verdict.js'
import { InlineVerifier, type MessageVerifier } from '../verification/message-verifier.js'
import {
  relayReplayFloor,
  resolveRelayOptions,
  type RelayOptions,
  type ResolvedRelayOptions,
} from './relay-options.js'
import { VerdictForwarder, type HeldMessage } from './verdict-forwarder.js'
import { createMessageVerifier } from '../verification/verifier-from-config.js'
import { CrlWatcher } from '../verification/crl-watcher.js'
import { SendQueue } from '../publisher/send-queue.js'
import {
  curveServerOptions,
  duplexSocketOptions,
  sendingSocketOptions,
} from '../transport/socket-options.js'
import { FrameSubscriber } from '../transport/subscriber.js'
import { allowCurveClients, type ZapLease } from '../transport/zap-handler.js'

/** Counters of a relay. */
export interface RelayStats {
  /**
   * Messages read from the inbound ROUTER and the upstream subscriptions that have their outcome: received =
   * forwarded + rejected + verifyErrors at every moment (those still being verified are not counted yet).
   */
  readonly received: number
  /** Messages handed to the outbound PUB. */
  readonly forwarded: number
  readonly rejected: Readonly<RejectCounts>
  /** Messages lost with a verifier thread that died (neither forwarded nor acknowledged; it is replaced). */
  readonly verifyErrors: number
}

/**
 * Takes messages from publishers (ROUTER, each one acknowledged) and from upstream PUB sockets, and forwards
 * them on its PUB socket byte for byte: `[topic, envelope]` as received, so end-to-end signatures survive any
 * number of relays.
 *
 * ```
 * publisher DEALER -> ROUTER inbound --verify--> PUB outbound -> hub SUB
 * relay A PUB outbound -> SUB upstream --verify--^
 * ```
 * With a verifier (on worker threads or inline, as a hub's), a message that fails it is dropped, counted by
 * reason, and (inbound) acknowledged as `rejected:<reason>`; one that passes is acknowledged `ok` once it is
 * on the outbound socket, in the order it came. With `verifier: null` the relay is a plain proxy; hubs still
 * verify everything.
 *
 * @example
 * ```ts
 * const relay = await createRelay({ inbound: 'tcp://*:2003', outbound: 'tcp://*:4001', config })
 * process.once('SIGTERM', () => void relay.close())
 * await relay.closed()
 * ```
 */
export class Relay {
  /** The addresses actually bound. */
  readonly endpoints: { readonly inbound: string; readonly outbound: string }
  readonly #router: Router
  readonly #out: SendQueue
  readonly #outSocket: Publisher
  readonly #upstream: FrameSubscriber | undefined
  readonly #verifier: MessageVerifier | null
  readonly #forwarder: VerdictForwarder
  readonly #rejections: RejectionLog
  readonly #lease: ZapLease | undefined
  readonly #crlWatcher: CrlWatcher | undefined
  readonly #loops: Promise<void>[]
  #closing: Promise<void> | undefined
  #markClosed: () => void = () => undefined
  readonly #closed = new Promise<void>((resolve) => (this.#markClosed = resolve))

  /** Use {@link createRelay}. */
  constructor(parts: {
    endpoints: { inbound: string; outbound: string }
    router: Router
    outSocket: Publisher
    upstream: FrameSubscriber | undefined
    verifier: MessageVerifier | null
    logger: Logger
    now: () => number
    lease: ZapLease | undefined
    crlWatcher: CrlWatcher | undefined
    highWaterMark: number
  }) {
    this.endpoints = parts.endpoints
    this.#router = parts.router
    this.#outSocket = parts.outSocket
    this.#out = new SendQueue(parts.outSocket, parts.highWaterMark, 'wait')
    this.#upstream = parts.upstream
    this.#verifier = parts.verifier
    this.#rejections = new RejectionLog(parts.logger)
    this.#forwarder = new VerdictForwarder({
      out: this.#out,
      acks: new SendQueue(parts.router, parts.highWaterMark, 'wait'),
      rejections: this.#rejections,
      logger: parts.logger,
      now: parts.now,
      capacity: parts.highWaterMark,
    })
    this.#verifier?.deliverTo(this.#forwarder)
    this.#lease = parts.lease
    this.#crlWatcher = parts.crlWatcher
    this.#loops = [this.#serveInbound()]
    if (this.#upstream !== undefined) {
      this.#loops.push(
        this.#upstream.run({
          onMessage: (topic, envelope) => this.#take({ topic, envelope }),
          onMalformed: (rejected) => this.#forwarder.reject(rejected, undefined),
          onHandlerError: (error) =>
            parts.logger.error({ err: error }, 'relay failed on a message'),
        }),
      )
    }
  }

  stats(): RelayStats {
    return {
      received: this.#forwarder.received,
      forwarded: this.#forwarder.forwarded,
      rejected: this.#rejections.counts(),
      verifyErrors: this.#forwarder.lost,
    }
  }

  /** Stops taking messages, lets queued ones out for ZMQ_LINGER ms, and closes every socket. */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  closed(): Promise<void> {
    return this.#closed
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  async #close(): Promise<void> {
    this.#router.close()
    this.#upstream?.close()
    await Promise.allSettled(this.#loops)
    await this.#crlWatcher?.close()
    // What was received still gets its verdict and, when verified, goes out; the ROUTER is closed, so its
    // acknowledgement does not.
    await this.#verifier?.drain()
    await this.#verifier?.close()
    await this.#out.drained()
    this.#outSocket.close()
    this.#lease?.release()
    this.#markClosed()
  }

  async #serveInbound(): Promise<void> {
    for await (const frames of this.#router) {
      const [peer, requestId = Buffer.alloc(0), topic, envelope] = frames
      const reply = [peer!, requestId] as const
      // After the ROUTER's peer frame and the DEALER's request id, the fedmsg/1 message itself.
      const wrongCount = frameCountRejection(Math.max(0, frames.length - 2))
      if (wrongCount === undefined) await this.#take({ topic: topic!, envelope: envelope!, reply })
      else this.#forwarder.reject(wrongCount, reply)
    }
  }

  /**
   * Verifies (unless a plain proxy) and forwards. Resolves when the relay may read the next message: the
   * verifier and the outbound queue have room.
   */
  async #take(message: HeldMessage): Promise<void> {
    if (this.#verifier === null) return this.#forwarder.forward(message)
    this.#forwarder.hold(message)
    const full = this.#verifier.submit(message.topic, message.envelope)
    if (full !== undefined) await full
    const room = this.#forwarder.room()
    if (room !== undefined) await room
  }
}

/**
 * Binds a relay. A relay that builds its verifier from `config` also watches the `crl` files and reloads them
 * when they change, as a hub does. Throws AddressInUse when an address is taken, TypeError without a verifier or
 * config.
 *
 * @example
 * ```ts
 * const relay = await createRelay({ inbound: 'tcp://*:9941', outbound: 'tcp://*:9940', config })
 * console.log(relay.stats().forwarded)
 * await relay.close()
 * ```
 */
export async function createRelay(options: RelayOptions): Promise<Relay> {
  const resolved = resolveRelayOptions(options)
  const { tuning, config, ownVerifier } = resolved
  const verifier = await openVerifier(resolved)
  const server = config.curve?.server
  let lease: ZapLease | undefined
  let router: Router | undefined
  let outSocket: Publisher | undefined
  let upstream: FrameSubscriber | undefined
  let crlWatcher: CrlWatcher | undefined
  try {
    if (server?.allowed_clients !== undefined)
      lease = await allowCurveClients(server.allowed_clients)
    router = new Router({ ...duplexSocketOptions(tuning), ...curveServerOptions(server) })
    outSocket = new Publisher({ ...sendingSocketOptions(tuning), ...curveServerOptions(server) })
    if (ownVerifier !== undefined && verifier !== null) {
      crlWatcher = await CrlWatcher.watch(config.crl, verifier, {
        intervalMs: resolved.crlPollIntervalMs,
        logger: resolved.logger,
      })
    }
    const inbound = await bindAddress(router, resolved.inbound)
    const outbound = await bindAddress(outSocket, resolved.outbound)
    if (resolved.upstream.length > 0) {
      upstream = new FrameSubscriber({
        addresses: resolved.upstream,
        prefixes: [''],
        tuning,
        ...(config.curve?.client === undefined ? {} : { curve: config.curve.client }),
      })
    }
    return new Relay({
      endpoints: { inbound, outbound },
      router,
      outSocket,
      upstream,
      verifier,
      logger: resolved.logger,
      now: resolved.now,
      lease,
      crlWatcher,
      highWaterMark: tuning.highWaterMark,
    })
  } catch (error) {
    await crlWatcher?.close()
    await verifier?.close()
    router?.close()
    outSocket?.close()
    upstream?.close()
    lease?.release()
    throw error
  }
}

/**
 * The relay's verifier: the one given, on this thread; or its own, built from the configuration as a hub's is
 * (on `verifyWorkers` threads), reading the trust anchors, CRLs and routing policy here, at the edge.
 */
function openVerifier(resolved: ResolvedRelayOptions): Promise<MessageVerifier | null> {
  const { ownVerifier, verifier } = resolved
  if (ownVerifier === undefined) {
    return Promise.resolve(verifier === null ? null : new InlineVerifier(verifier!))
  }
  const runtime = {
    now: ownVerifier.now,
    notBeforeMs: relayReplayFloor(resolved.config, ownVerifier.now()),
  }
  return createMessageVerifier(ownVerifier.config, runtime, ownVerifier.workers)
}
