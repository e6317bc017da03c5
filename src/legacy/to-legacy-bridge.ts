import { userInfo } from 'node:os'
import type { Logger } from 'pino'
import { Publisher as PubSocket } from 'zeromq'
import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'
import { bindAddress } from '../transport/bind-address.js'
import { sendingSocketOptions, type SocketTuning } from '../transport/socket-options.js'
import { cameFromLegacy, legacyMessageOf } from './legacy-provenance.js'
import type { LegacySigner } from './legacy-signer.js'

/** How a {@link ToLegacyBridge} is put together. */
export interface ToLegacyBridgeOptions {
  /** Where Python fedmsg consumers connect: the legacy `endpoints` value(s) the bridge binds. */
  readonly bind: readonly string[]
  /** Signs as a service of the legacy CA (its `ssldir/<certname>.crt` and `.key`). */
  readonly signer: LegacySigner
  readonly tuning: SocketTuning
  readonly logger: Logger
}

/** What the reverse bridge did so far. */
export interface ToLegacyBridgeStats {
  readonly republished: number
  /** Messages that came from the legacy bus through the forward bridge: never sent back (loop prevention). */
  readonly fromLegacy: number
  /** Verified messages the bridge could not sign or send (logged with the error). */
  readonly failed: number
}

/**
 * fedmsg/1 → legacy bus: the consumer half of `fedmsg bridge to-legacy`. Each verified fedmsg/1 message it is
 * handed (a hub ran every fedmsg/1 check first) is re-signed by the {@link LegacySigner} and published on a PUB
 * socket in Python fedmsg's wire format, `[topic, json]`, so unmigrated Python consumers keep validating it.
 * The fedmsg/1 signer is named in the legacy message's signed `headers` (legacyMessageOf). A message the
 * forward bridge carried over from the legacy bus is not sent back.
 *
 * @example
 * ```ts
 * const reverse = await ToLegacyBridge.start({ bind: ['tcp://*:3001'], signer, tuning, logger })
 * const hub = await createHub({ config, consumers: [{ name: 'to-legacy', topic: '>', consume: (m) => reverse.consume(m) }] })
 * ```
 */
export class ToLegacyBridge {
  /** The addresses actually bound (a `tcp://host:*` bind gets its port). */
  readonly endpoints: readonly string[]
  readonly #socket: PubSocket
  readonly #options: ToLegacyBridgeOptions
  // Python fedmsg's username field: the account of the publishing process, as getpass.getuser() gives it.
  readonly #username = userInfo().username
  #i = 0
  #fromLegacy = 0
  #failed = 0

  private constructor(socket: PubSocket, endpoints: string[], options: ToLegacyBridgeOptions) {
    this.#socket = socket
    this.endpoints = endpoints
    this.#options = options
  }

  /** Binds the legacy PUB socket; throws `AddressInUse` when an address is taken. */
  static async start(options: ToLegacyBridgeOptions): Promise<ToLegacyBridge> {
    const socket = new PubSocket(sendingSocketOptions(options.tuning))
    try {
      const endpoints: string[] = []
      for (const address of options.bind) endpoints.push(await bindAddress(socket, address))
      return new ToLegacyBridge(socket, endpoints, options)
    } catch (error) {
      socket.close()
      throw error
    }
  }

  stats(): ToLegacyBridgeStats {
    return { republished: this.#i, fromLegacy: this.#fromLegacy, failed: this.#failed }
  }

  /** Signs and sends one verified message; never throws (a failure is counted and logged). */
  async consume(message: VerifiedMessage): Promise<void> {
    if (cameFromLegacy(message)) {
      this.#fromLegacy += 1
      return
    }
    try {
      const legacy = legacyMessageOf(message, this.#i + 1, this.#username)
      await this.#socket.send([message.topic, this.#options.signer.sign(legacy)])
      this.#i += 1
    } catch (error) {
      this.#failed += 1
      this.#options.logger.error(
        { err: error, topic: message.topic, msg_id: message.msgId },
        'message not sent to the legacy bus',
      )
    }
  }

  close(): void {
    this.#socket.close()
  }
}
