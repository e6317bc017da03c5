import { Publisher, Router } from 'zeromq'
import type { Logger } from 'pino'
import type { EnvelopeVerifier } from '../crypto/envelope/envelope-verifier.js'
import type { RejectReason } from '../errors.js'
import { bindAddress } from '../transport/bind-address.js'
import { emptyRejectCounts, type RejectCounts } from '../verification/reject-counts.js'
import { RejectionLog } from '../verification/rejection-log.js'
import { encodeAck } from '../transport/relay-protocol.js'
import { frameCountRejection } from '../crypto/envelope/verdict.js'
import type { Rejected } from '../crypto/envelope/verified-message.js'
import { relayReplayFloor, resolveRelayOptions, type RelayOptions } from './relay-options.js'
import { createVerifierFromConfig } from '../verification/verifier-from-config.js'
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
  /** Messages read from the inbound ROUTER and the upstream subscriptions. */
  readonly received: number
  /** Messages sent on the outbound PUB. */
  readonly forwarded: number
  readonly rejected: Readonly<RejectCounts>
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
 * With a verifier, a message that fails it is dropped, counted by reason, and (inbound) acknowledged as
 * `rejected:<reason>`. With `verifier: null` the relay is a plain proxy; hubs still verify everything.
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
  readonly #verifier: EnvelopeVerifier | null
  readonly #rejections: RejectionLog
  readonly #logger: Logger
  readonly #lease: ZapLease | undefined
  readonly #crlWatcher: CrlWatcher | undefined
  readonly #now: () => number
  readonly #loops: Promise<void>[]
  readonly #counts = { received: 0, forwarded: 0 }
  readonly #rejected = emptyRejectCounts()
  #closing: Promise<void> | undefined
  #markClosed: () => void = () => undefined
  readonly #closed = new Promise<void>((resolve) => (this.#markClosed = resolve))

  /** Use {@link createRelay}. */
  constructor(parts: {
    endpoints: { inbound: string; outbound: string }
    router: Router
    outSocket: Publisher
    upstream: FrameSubscriber | undefined
    verifier: EnvelopeVerifier | null
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
    this.#logger = parts.logger
    this.#rejections = new RejectionLog(parts.logger)
    this.#now = parts.now
    this.#lease = parts.lease
    this.#crlWatcher = parts.crlWatcher
    this.#loops = [this.#serveInbound()]
    if (this.#upstream !== undefined) {
      this.#loops.push(
        this.#upstream.run({
          onMessage: (topic, envelope) => {
            this.#relay(topic, envelope).catch((error: unknown) =>
              this.#logger.error({ err: error }, 'relay could not forward a message'),
            )
          },
          onMalformed: (rejected) => this.#reject(rejected),
          onHandlerError: (error) =>
            this.#logger.error({ err: error }, 'relay failed on a message'),
        }),
      )
    }
  }

  stats(): RelayStats {
    return { ...this.#counts, rejected: { ...this.#rejected } }
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
    await this.#out.drained()
    this.#outSocket.close()
    await this.#crlWatcher?.close()
    this.#lease?.release()
    this.#markClosed()
  }

  async #serveInbound(): Promise<void> {
    for await (const frames of this.#router) {
      const [peer, requestId = Buffer.alloc(0), topic, envelope] = frames
      // After the ROUTER's peer frame and the DEALER's request id, the fedmsg/1 message itself.
      const wrongCount = frameCountRejection(Math.max(0, frames.length - 2))
      const reason =
        wrongCount === undefined ? await this.#relay(topic!, envelope!) : this.#reject(wrongCount)
      await this.#router.send([peer!, requestId, encodeAck(reason)])
    }
  }

  /** Verifies (unless a plain proxy) and forwards; returns the reason when the message was dropped. */
  async #relay(topic: Buffer, envelope: Buffer): Promise<RejectReason | undefined> {
    this.#counts.received += 1
    if (this.#verifier !== null) {
      const result = this.#verifier.verify(topic, envelope)
      if (!result.ok) {
        this.#rejected[result.reason] += 1
        this.#rejections.record(result, this.#now())
        return result.reason
      }
    }
    await this.#out.send([topic, envelope])
    this.#counts.forwarded += 1
    return undefined
  }

  #reject(rejected: Rejected): RejectReason {
    this.#counts.received += 1
    this.#rejected[rejected.reason] += 1
    this.#rejections.record(rejected, this.#now())
    return rejected.reason
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
  // Files are read here, at the edge: trust anchors, CRLs, routing policy.
  const verifier =
    ownVerifier === undefined
      ? resolved.verifier!
      : createVerifierFromConfig(ownVerifier.config, {
          now: ownVerifier.now,
          notBeforeMs: relayReplayFloor(config, ownVerifier.now()),
        })
  const server = config.curve?.server
  const lease =
    server?.allowed_clients === undefined
      ? undefined
      : await allowCurveClients(server.allowed_clients)
  const router = new Router({ ...duplexSocketOptions(tuning), ...curveServerOptions(server) })
  const outSocket = new Publisher({
    ...sendingSocketOptions(tuning),
    ...curveServerOptions(server),
  })
  let upstream: FrameSubscriber | undefined
  let crlWatcher: CrlWatcher | undefined
  try {
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
    router.close()
    outSocket.close()
    upstream?.close()
    lease?.release()
    throw error
  }
}
