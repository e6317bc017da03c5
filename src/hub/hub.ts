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
import { HubSequence } from './hub-sequence.js'
import { tuningFromConfig } from '../transport/socket-options.js'
import type { HubStats } from './hub-stats.js'
import { FrameSubscriber } from '../transport/subscriber.js'
import { heartbeatTopic } from '../transport/topic-name.js'
import { openHubReplay } from './hub-replay.js'
import { createMessageVerifier } from '../verification/verifier-from-config.js'
import { openDerivedPublisher, type DerivedPublisher } from './derived-publisher.js'
import type { FillScope } from './gap-fill/fetch-stored.js'
import { GapFiller } from './gap-fill/gap-filler.js'
import { resolveGapFillOptions } from './gap-fill/gap-fill-options.js'

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
  readonly #sequence: HubSequence
  readonly #rejections: RejectionLog
  readonly #gapFill: GapFiller | undefined
  readonly #latency = new LatencyHistogram()
  readonly #counts = {
    received: 0,
    verified: 0,
    dispatched: 0,
    heartbeats: 0,
    disconnects: 0,
    verifyErrors: 0,
  }
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
    this.#rejections = new RejectionLog(options.logger, options.rejectionLogIntervalMs)
    const gapFill = resolveGapFillOptions(this.#config)
    this.#gapFill =
      gapFill &&
      new GapFiller(
        gapFill,
        { logger: this.#logger, now: this.#now, maxEnvelopeBytes: this.#config.max_message_bytes },
        (topic, envelope) => this.#verifier.submit(topic, envelope),
      )
    this.#sequence = new HubSequence({ ...options, startedAt }, (gap) =>
      this.#gapFill?.request(gap),
    )
    this.#verifier.deliverTo({
      onResult: (result, verifyMs) => this.#guarded(() => this.#accept(result, verifyMs)),
      onLost: (count, cause) => this.#guarded(() => this.#lose(count, cause)),
    })
    if (gapFill?.catchUp === true) this.#gapFill!.catchUp()
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
  }

  stats(): HubStats {
    return {
      ...this.#counts,
      rejected: this.#rejections.counts(),
      consumers: this.#dispatcher.stats(),
      sequence: this.#sequence.stats(),
      crl: this.#crlWatcher?.stats() ?? { reloads: 0, failures: 0 },
      verifyLatency: this.#latency.snapshot(),
      ...(this.#gapFill === undefined ? {} : { gapFill: this.#gapFill.stats() }),
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
    this.#sequence.close()
    this.#subscriber.close()
    await Promise.all([this.#loop, this.#gapFill?.close()])
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
    this.#gapFill?.verdicts.noteLive()
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
    this.#gapFill?.verdicts.lost(count)
    this.#counts.received += count
    this.#counts.verifyErrors += count
    const why =
      cause instanceof StateUnavailable
        ? 'the replay journal cannot be written: verified messages were dropped, not dispatched'
        : 'a verifier worker thread died and was replaced: its messages were dropped unverified'
    this.#logger.error({ err: cause, lost: count }, why)
  }

  #accept(result: VerifyResult, verifyMs: number): void {
    const fill = this.#gapFill?.verdicts.next()
    if (fill !== undefined) return this.#acceptFill(fill, result)
    this.#counts.received += 1
    this.#latency.observe(verifyMs)
    if (!result.ok) return this.#reject(result)
    const message = result.message
    const fault = this.#schemaFault(message)
    if (fault !== undefined) return this.#reject(fault)
    this.#counts.verified += 1
    const isHeartbeat = message.topic === heartbeatTopic(this.#config, message.signer.name)
    if (isHeartbeat) this.#counts.heartbeats += 1
    this.#sequence.track(message, isHeartbeat && isGoodbye(message.body))
    this.#counts.dispatched += this.#dispatcher.dispatch(message, isHeartbeat)
  }

  // A gap-filled message is counted apart (HubStats.gapFill) and not tracked: its `i` is behind the live one.
  #acceptFill(scope: FillScope, result: VerifyResult): void {
    const judged = this.#gapFill!.verdicts.judge(scope, result, (m) => this.#schemaFault(m))
    if (judged === undefined) return
    if ('ok' in judged) return this.#rejections.record(judged, this.#now())
    const isHeartbeat = judged.topic === heartbeatTopic(this.#config, judged.signer.name)
    this.#counts.dispatched += this.#dispatcher.dispatch(judged, isHeartbeat)
  }

  #schemaFault(message: VerifiedMessage): Rejected | undefined {
    const fault = this.#schemas.check(message.topic, message.body)
    const about = { topic: message.topic, signer: message.signer.name }
    return fault === undefined ? undefined : rejected('schema_invalid', fault, about)
  }

  #reject(rejected: Rejected): void {
    this.#rejections.record(rejected, this.#now())
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
