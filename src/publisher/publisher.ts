import { randomUUID } from 'node:crypto'
import { pino, type Logger } from 'pino'
import type { FedmsgConfig } from '../config/config-types.js'
import type { LoadConfigOptions } from '../config/load-config.js'
import type { EnvelopeSigner } from '../crypto/envelope/envelope-signer.js'
import { assertValidTopic } from '../crypto/policy/topic-pattern.js'
import { Closed, SchemaInvalid } from '../errors.js'
import { heartbeatBody } from './heartbeat-body.js'
import { openPublishChannel } from './open-publish-channel.js'
import type { PublishChannel, SendOptions } from './publish-channel.js'
import { PUBLISHER_DEFAULTS } from './publisher-defaults.js'
import { resolveConfig, type ConfigInput } from '../transport/resolve-config.js'
import { SchemaRegistry } from '../hub/schema-registry.js'
import { signerFromConfig } from './signer-from-config.js'
import { heartbeatTopic, publisherTopic } from '../transport/topic-name.js'

export interface PublisherOptions {
  /** The service name: its `endpoints`, `certs` and topic token. */
  readonly name: string
  /** Default: what `loadConfig(configOptions)` finds; the dev defaults when none is named or found. */
  readonly config?: ConfigInput
  readonly configOptions?: LoadConfigOptions
  /** Default: `EnvelopeSigner.fromFiles` on `config.certs[name]`. */
  readonly signer?: EnvelopeSigner
  /** Bind these addresses instead of `endpoints[name]` (always the PUB path). */
  readonly bind?: readonly string[]
  /** Relay path: how long to wait for the relay's acknowledgement (default 10 s). */
  readonly ackTimeoutMs?: number
  /**
   * Bind path: subscriptions to wait for before the first message is sent, so that the hubs connecting to a
   * fresh bind get it (default `PUBLISHER_DEFAULTS.awaitSubscribers`, one; 0 sends at once).
   */
  readonly awaitSubscribers?: number
  /** Bind path: the longest that wait lasts, from the bind (default `PUBLISHER_DEFAULTS.awaitSubscribersMs`). */
  readonly awaitSubscribersMs?: number
  /** Default: silent. */
  readonly logger?: Logger
}

export interface PublishOptions {
  /** Extra envelope headers. `session` and `session_start` are set by the publisher and cannot be overridden. */
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * Signs and sends messages for one service. Every message carries the next sequence number `i` and the
 * header `session`, a random id of this publisher instance, so hubs follow each publisher process's sequence
 * and count what they missed; `session_start`, when the instance began, lets a hub that was already running
 * count messages lost at a session's start too. Every `heartbeat_interval_ms` it sends `<prefix>.<env>.<name>.heartbeat` with
 * `{ "last_i": <i of the message before it> }` (consuming an `i` of its own), so silence is visible too.
 * `close()` sends one last heartbeat with `"goodbye": true`, so that hubs stop tracking a publisher that
 * finished instead of reporting it silent.
 *
 * Two paths (see publish-channel.ts and relay-channel.ts for what back-pressure means on each):
 * - bind: an XPUB socket on `endpoints[name]` that hubs connect to; the first message waits (bounded by
 *   `awaitSubscribersMs`) for `awaitSubscribers` subscriptions, then `publish()` resolves once libzmq queued it.
 * - relay (`active: true`, or no endpoint): a DEALER to `relay_inbound`; `publish()` resolves once the relay
 *   acknowledged the message.
 *
 * @example
 * ```ts
 * await using publisher = await createPublisher({ name: 'bodhi' })
 * await publisher.publish('update.request', { update: 'FEDORA-2024-1', by: 'alice' })
 * ```
 */
export class Publisher {
  readonly name: string
  /** The `session` header of every message from this instance. */
  readonly session: string = randomUUID()
  /** When this session began (ms since the epoch): the `session_start` header of every message. */
  readonly sessionStart: number = Date.now()
  readonly #config: FedmsgConfig
  readonly #signer: EnvelopeSigner
  readonly #schemas: SchemaRegistry
  readonly #channel: PublishChannel
  readonly #logger: Logger
  readonly #heartbeat: ReturnType<typeof setInterval>
  #lastI = 0
  #lastSendFailed = false
  #closing: Promise<void> | undefined
  #markClosed: () => void = () => undefined
  readonly #closed = new Promise<void>((resolve) => (this.#markClosed = resolve))

  /** Use {@link createPublisher}. */
  constructor(
    name: string,
    parts: {
      config: FedmsgConfig
      signer: EnvelopeSigner
      schemas: SchemaRegistry
      channel: PublishChannel
      logger: Logger
    },
  ) {
    this.name = name
    this.#config = parts.config
    this.#signer = parts.signer
    this.#schemas = parts.schemas
    this.#channel = parts.channel
    this.#logger = parts.logger.child({ publisher: name, session: this.session })
    this.#heartbeat = setInterval(
      () => void this.#sendHeartbeat(),
      this.#config.heartbeat_interval_ms,
    )
    this.#heartbeat.unref()
    void this.#channel.ready.then((reached) => {
      if (!reached) {
        this.#logger.warn(
          { endpoints: this.#channel.endpoints },
          'no subscriber in time: the first messages reach no hub that has not subscribed yet',
        )
      }
    })
  }

  /** Addresses bound (bind path) or the relay address (relay path). */
  get endpoints(): readonly string[] {
    return this.#channel.endpoints
  }

  /** The `i` of the last message signed. */
  get lastI(): number {
    return this.#lastI
  }

  /**
   * Signs `body` on `<prefix>.<env>.<name>.<topicSuffix>` (a topic already starting with the prefix is used as
   * is) and sends it. Throws Closed, InvalidTopic, SchemaInvalid, SignFailed, HighWaterMark, and on the relay
   * path RelayRejected or RelayTimeout.
   */
  async publish(
    topicSuffix: string,
    body: Record<string, unknown>,
    options: PublishOptions = {},
  ): Promise<void> {
    if (this.#closing !== undefined)
      throw new Closed(`publisher ${this.name} is closed: create a new one`)
    const topic = publisherTopic(this.#config, this.name, topicSuffix)
    assertValidTopic(topic)
    const fault = this.#schemas.check(topic, body)
    if (fault !== undefined) throw new SchemaInvalid(topic, `${topic}: ${fault}`)
    await this.#send(topic, body, options.headers)
  }

  /**
   * Stops heartbeats, waits for pending sends (and the acks of all but heartbeats), sends the goodbye
   * heartbeat (waiting for it at most linger_ms), then closes the socket with ZMQ_LINGER.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  /** Resolves when the publisher has closed. */
  closed(): Promise<void> {
    return this.#closed
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  async #close(): Promise<void> {
    clearInterval(this.#heartbeat)
    try {
      await this.#channel.drain()
      await this.#sayGoodbye()
    } finally {
      this.#channel.close()
      this.#markClosed()
    }
  }

  #send(
    topic: string,
    body: Record<string, unknown>,
    headers?: Readonly<Record<string, string>>,
    options: SendOptions = {},
  ) {
    const i = this.#lastI + 1
    // Signing is synchronous, so `i` follows call order and the send queue keeps that order on the wire.
    const { frame } = this.#signer.sign({
      topic,
      msg: body,
      i,
      headers: { ...headers, session: this.session, session_start: String(this.sessionStart) },
    })
    this.#lastI = i
    return this.#channel.send(topic, [Buffer.from(topic, 'utf8'), frame], options).then(
      () => void (this.#lastSendFailed = false),
      (error: unknown) => {
        this.#lastSendFailed = true
        throw error
      },
    )
  }

  async #sendHeartbeat(): Promise<void> {
    if (this.#closing !== undefined) return
    try {
      await this.#send(
        heartbeatTopic(this.#config, this.name),
        heartbeatBody(this.#lastI, false),
        undefined,
        { background: true },
      )
    } catch (error) {
      // close() abandons a heartbeat still awaiting the relay's acknowledgement: nothing to report then.
      if (this.#closing === undefined) this.#logger.warn({ err: error }, 'heartbeat not sent')
    }
  }

  // A session that sent nothing is tracked by no hub, and one whose last send failed (relay gone) cannot be
  // heard: neither says goodbye. The wait is bounded, like the rest of close(), by ZMQ_LINGER: an
  // unacknowledged goodbye must not hold a close up for a whole ack timeout.
  async #sayGoodbye(): Promise<void> {
    if (this.#lastI === 0 || this.#lastSendFailed) return
    const sent = this.#send(
      heartbeatTopic(this.#config, this.name),
      heartbeatBody(this.#lastI, true),
    ).catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'goodbye not sent: hubs will report this publisher silent')
    })
    let timer: ReturnType<typeof setTimeout> | undefined
    const lingered = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#config.linger_ms)
    })
    await Promise.race([sent, lingered])
    clearTimeout(timer)
  }
}

/**
 * Creates a publisher for service `name`: loads the config (unless given) and the service's certificate and
 * key, then binds its endpoints or connects to the relay. Throws ConfigInvalid, KeyInsecure, KeyInvalid,
 * CertInvalid, AddressInUse.
 *
 * @example
 * ```ts
 * const publisher = await createPublisher({ name: 'bodhi', configOptions: { configPath: '/etc/fedmsg.d' } })
 * await publisher.publish('update.request', { update: 'FEDORA-2024-1' })
 * await publisher.close()
 * ```
 */
export async function createPublisher(options: PublisherOptions): Promise<Publisher> {
  const config = resolveConfig(options.config, options.configOptions)
  const signer = options.signer ?? signerFromConfig(config, options.name)
  const schemas = SchemaRegistry.fromFiles(config.schemas)
  const logger = options.logger ?? pino({ level: 'silent' })
  const channel = await openPublishChannel(config, {
    ...options,
    subscriberWait: {
      subscribers: options.awaitSubscribers ?? PUBLISHER_DEFAULTS.awaitSubscribers,
      timeoutMs: options.awaitSubscribersMs ?? PUBLISHER_DEFAULTS.awaitSubscribersMs,
    },
  })
  return new Publisher(options.name, { config, signer, schemas, channel, logger })
}
