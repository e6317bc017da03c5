import type { Logger } from 'pino'
import type { FedmsgConfig } from '../config/config-types.js'
import { InlineVerifier, type MessageVerifier } from '../verification/message-verifier.js'
import { StateUnavailable } from '../errors.js'
import type {
  Rejected,
  VerifiedMessage,
  VerifyResult,
} from '../crypto/envelope/verified-message.js'
import { ConsumerDispatcher } from './consumer-dispatcher.js'
import { loadConsumers, setupConsumer } from './consumer-loader.js'
import { isGoodbye } from '../publisher/heartbeat-body.js'
import { CrlWatcher } from '../verification/crl-watcher.js'
import { resolveHubOptions, type HubOptions, type ResolvedHubOptions } from './hub-options.js'
import { LatencyHistogram } from '../metrics/latency-histogram.js'
import { RejectionLog } from '../verification/rejection-log.js'
import { SchemaRegistry } from './schema-registry.js'
import { rejected } from '../crypto/envelope/verdict.js'
import { SequenceTracker } from './sequence-tracker.js'
import { tuningFromConfig } from '../transport/socket-options.js'
import type { HubStats } from './hub-stats.js'
import { FrameSubscriber } from '../transport/subscriber.js'
import { heartbeatTopic } from '../transport/topic-name.js'
import { openHubReplay } from './hub-replay.js'
import { createMessageVerifier } from '../verification/verifier-from-config.js'
import { openDerivedPublisher, type DerivedPublisher } from './derived-publisher.js'

export type { HubStats } from './hub-stats.js'

interface HubParts {
  readonly options: ResolvedHubOptions
  readonly verifier: MessageVerifier
  readonly schemas: SchemaRegistry
  readonly dispatcher: ConsumerDispatcher
  readonly crlWatcher: CrlWatcher | undefined
  /** The replay journal, closed after the verifier. */
  readonly admission: { close(): void } | undefined
}

/**
 * Receives from every publisher and relay, verifies EVERY message, checks its body against the topic's schema,
 * and hands it to the consumers whose patterns match. Nothing unverified reaches a consumer.
 *
 * Replay protection across restarts: every accepted `msg_id` is written to a replay journal in the state
 * directory (`state_dir`) before the message is dispatched, and a new run reads the journal first, so no
 * run dispatches a `msg_id` that an earlier one did, whether it stopped cleanly or was killed. A missing or
 * corrupt journal fails closed: the hub then refuses every message stamped up to one clock skew after its
 * start (docs/threat-model.md, B3).
 *
 * The hub subscribes to the whole `<topic_prefix>.` space, not just its consumers' topics, so it sees every
 * message of a publisher and its sequence gaps are real losses.
 *
 * @example
 * ```ts
 * const hub = await createHub({ configOptions: { configPath: '/etc/fedmsg.d' } })
 * setInterval(() => console.log(hub.stats().rejected), 60_000).unref()
 * process.once('SIGTERM', () => void hub.drain())
 * await hub.closed()
 * ```
 */
export class Hub {
  readonly startedAt: number
  readonly #config: FedmsgConfig
  readonly #now: () => number
  readonly #logger: Logger
  readonly #verifier: MessageVerifier
  readonly #schemas: SchemaRegistry
  readonly #dispatcher: ConsumerDispatcher
  readonly #crlWatcher: CrlWatcher | undefined
  readonly #admission: { close(): void } | undefined
  readonly #subscriber: FrameSubscriber
  readonly #tracker: SequenceTracker
  readonly #rejections: RejectionLog
  readonly #latency = new LatencyHistogram()
  readonly #counts = {
    received: 0,
    verified: 0,
    dispatched: 0,
    heartbeats: 0,
    disconnects: 0,
    verifyErrors: 0,
  }
  readonly #silenceTimer: ReturnType<typeof setInterval>
  readonly #loop: Promise<void>
  #closing: Promise<void> | undefined
  #markClosed: () => void = () => undefined
  readonly #closed = new Promise<void>((resolve) => (this.#markClosed = resolve))

  /** Use {@link createHub}. */
  constructor(parts: HubParts, startedAt: number) {
    const { options } = parts
    this.startedAt = startedAt
    this.#config = options.config
    this.#now = options.now
    this.#logger = options.logger
    this.#verifier = parts.verifier
    this.#schemas = parts.schemas
    this.#dispatcher = parts.dispatcher
    this.#crlWatcher = parts.crlWatcher
    this.#admission = parts.admission
    this.#tracker = new SequenceTracker({
      silentAfterMs: options.silentAfterMs,
      // A session stamped as started after this (on a clock up to clock_skew_seconds off) began while the hub
      // was listening: a first message with i > 1 means its first messages were lost.
      startGapsAfter: startedAt + this.#config.clock_skew_seconds * 1000,
    })
    this.#rejections = new RejectionLog(options.logger, options.rejectionLogIntervalMs)
    this.#verifier.deliverTo({
      onResult: (result, verifyMs) => this.#guarded(() => this.#accept(result, verifyMs)),
      onLost: (count, cause) => this.#guarded(() => this.#lose(count, cause)),
    })
    this.#subscriber = new FrameSubscriber({
      addresses: options.addresses,
      prefixes: [`${this.#config.topic_prefix}.`],
      tuning: tuningFromConfig(this.#config),
      ...(this.#config.curve?.client === undefined ? {} : { curve: this.#config.curve.client }),
    })
    this.#loop = this.#subscriber.run({
      onMessage: (topic, envelope) => this.#receive(topic, envelope),
      onMalformed: (rejected) => {
        this.#counts.received += 1
        this.#reject(rejected)
      },
      onDisconnect: () => (this.#counts.disconnects += 1),
      onHandlerError: (error) => this.#logger.error({ err: error }, 'hub failed on a message'),
    })
    this.#silenceTimer = setInterval(
      () => this.#reportSilence(),
      this.#config.heartbeat_interval_ms,
    )
    this.#silenceTimer.unref()
  }

  stats(): HubStats {
    return {
      ...this.#counts,
      rejected: this.#rejections.counts(),
      consumers: this.#dispatcher.stats(),
      sequence: this.#tracker.stats(),
      crl: this.#crlWatcher?.stats() ?? { reloads: 0, failures: 0 },
      verifyLatency: this.#latency.snapshot(),
    }
  }

  /** Stops receiving, discards queued messages (counted as dropped), waits for calls in progress. */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown(() => this.#dispatcher.stop())
    return this.#closing
  }

  /** Stops receiving, lets consumers finish every queued message, then closes. */
  drain(): Promise<void> {
    this.#closing ??= this.#shutDown(() => this.#dispatcher.drain())
    return this.#closing
  }

  closed(): Promise<void> {
    return this.#closed
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  async #shutDown(finishConsumers: () => Promise<void>): Promise<void> {
    clearInterval(this.#silenceTimer)
    this.#subscriber.close()
    await this.#loop
    await this.#crlWatcher?.close()
    // Messages already received get their verdicts (and, when verified, their consumers) before the threads go.
    await this.#verifier.drain()
    await this.#verifier.close()
    this.#admission?.close()
    await finishConsumers()
    this.#markClosed()
  }

  // Counted as received with its verdict (or its loss), so that received = verified + rejected + verifyErrors
  // holds at every moment, worker threads or not.
  #receive(topic: Buffer, envelope: Buffer): Promise<void> | undefined {
    return this.#verifier.submit(topic, envelope)
  }

  // Verdicts arrive outside the receive loop (from worker threads), where a throw would take the process down.
  #guarded(handle: () => void): void {
    try {
      handle()
    } catch (error) {
      this.#logger.error({ err: error }, 'hub failed on a message')
    }
  }

  #lose(count: number, cause: unknown): void {
    this.#counts.received += count
    this.#counts.verifyErrors += count
    const why =
      cause instanceof StateUnavailable
        ? 'the replay journal cannot be written: verified messages were dropped, not dispatched'
        : 'a verifier worker thread died and was replaced: its messages were dropped unverified'
    this.#logger.error({ err: cause, lost: count }, why)
  }

  #accept(result: VerifyResult, verifyMs: number): void {
    this.#counts.received += 1
    this.#latency.observe(verifyMs)
    if (!result.ok) return this.#reject(result)
    const message = result.message
    const fault = this.#schemas.check(message.topic, message.body)
    if (fault !== undefined) {
      const { topic: claimed, signer } = message
      return this.#reject(
        rejected('schema_invalid', fault, { topic: claimed, signer: signer.name }),
      )
    }
    this.#counts.verified += 1
    const isHeartbeat = message.topic === heartbeatTopic(this.#config, message.signer.name)
    if (isHeartbeat) this.#counts.heartbeats += 1
    this.#track(message, isHeartbeat && isGoodbye(message.body))
    this.#counts.dispatched += this.#dispatcher.dispatch(message, isHeartbeat)
  }

  #track(message: VerifiedMessage, goodbye: boolean): void {
    const { key, seen } = this.#tracker.record(message, goodbye, this.#now())
    if (goodbye) this.#logger.debug({ ...key, i: message.i }, 'publisher closed')
    if (seen.type === 'gap') {
      this.#logger.warn(
        { ...key, i: message.i, missing: seen.missing },
        'messages missing from a publisher',
      )
    } else if (seen.type === 'restart') {
      this.#logger.info(
        { ...key, i: message.i, previous: seen.previous },
        'publisher sequence restarted',
      )
    }
  }

  #reject(rejected: Rejected): void {
    this.#rejections.record(rejected, this.#now())
  }

  #reportSilence(): void {
    for (const key of this.#tracker.takeNewlySilent(this.#now())) {
      this.#logger.warn(
        { ...key, silentAfterMs: 3 * this.#config.heartbeat_interval_ms },
        'publisher silent',
      )
    }
  }
}

/**
 * Loads the consumer modules, builds the verifier (unless given), starts watching the CRL files and connects.
 * Throws ConfigInvalid (config, consumer module, schema), ConfigNotFound, CertInvalid, CrlInvalid.
 *
 * @example
 * ```ts
 * await using hub = await createHub({
 *   config,
 *   consumers: [{ topic: 'org.fedoraproject.*.bodhi.>', consume: (m) => console.log(m.signer.name, m.body) }],
 * })
 * ```
 */
export async function createHub(options: HubOptions = {}): Promise<Hub> {
  const resolved = resolveHubOptions(options)
  const { config, logger } = resolved
  const startedAt = resolved.now()
  const replay = options.verifier === undefined ? openHubReplay(resolved, startedAt) : undefined
  let verifier: MessageVerifier
  try {
    verifier =
      replay === undefined
        ? new InlineVerifier(options.verifier!)
        : await createMessageVerifier(config, replay.runtime, resolved.verifyWorkers)
  } catch (error) {
    replay?.admission?.close()
    throw error
  }
  let crlWatcher: CrlWatcher | undefined
  let derived: DerivedPublisher | undefined
  try {
    const schemas = SchemaRegistry.fromFiles(config.schemas)
    const setups = [
      ...(await loadConsumers(config.consumers)),
      ...(options.consumers ?? []).map(setupConsumer),
    ]
    crlWatcher = await CrlWatcher.watch(config.crl, verifier, {
      intervalMs: resolved.crlPollIntervalMs,
      logger,
    })
    derived = await openDerivedPublisher(config, logger)
    const dispatcher = new ConsumerDispatcher(setups, logger, derived)
    const parts = { options: resolved, verifier, schemas, dispatcher, crlWatcher }
    return new Hub({ ...parts, admission: replay?.admission }, startedAt)
  } catch (error) {
    await derived?.close()
    await crlWatcher?.close()
    await verifier.close()
    replay?.admission?.close()
    throw error
  }
}
