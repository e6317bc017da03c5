import type { Logger } from 'pino'
import { Subscriber } from 'zeromq'
import type { Publisher } from '../publisher/publisher.js'
import { emptyRejectCounts, type RejectCounts } from '../verification/reject-counts.js'
import { RejectionLog } from '../verification/rejection-log.js'
import { bridgedBody, bridgedHeaders } from './legacy-body.js'
import { cameFromFedmsg1 } from './legacy-provenance.js'
import type { LegacyVerifier } from './legacy-verifier.js'

/** How a {@link LegacyBridge} is put together. */
export interface LegacyBridgeOptions {
  /** The legacy bus's PUB endpoints (Python fedmsg's `endpoints` values) to connect to. */
  readonly endpoints: readonly string[]
  readonly verifier: LegacyVerifier
  /** Publishes on the fedmsg/1 bus, signed by the bridge's own certificate. */
  readonly publisher: Publisher
  readonly logger: Logger
}

/** What the bridge did so far. */
export interface LegacyBridgeStats {
  readonly bridged: number
  /** Legacy messages refused, by reason: never republished. */
  readonly rejected: Readonly<RejectCounts>
  /** Verified legacy messages the fedmsg/1 publisher could not send (logged with the error). */
  readonly publishFailed: number
  /** Valid legacy messages the reverse bridge sent from fedmsg/1: never carried back (loop prevention). */
  readonly fromFedmsg1: number
}

/**
 * Legacy bus → fedmsg/1: subscribes to every topic of the legacy endpoints, verifies each message with the
 * {@link LegacyVerifier}, and republishes each valid one on its own topic, signed by the bridge, with the
 * original frame in the body and the legacy provenance in headers (legacy_signer, legacy_msg_id,
 * legacy_sha256, legacy_cert_sha256). Refused messages are counted by reason and logged once per cause. A
 * message the reverse bridge (ToLegacyBridge) sent from fedmsg/1 is verified but not carried back.
 *
 * @example
 * ```ts
 * const bridge = LegacyBridge.start({ endpoints: ['tcp://legacy:3000'], verifier, publisher, logger })
 * await bridge.close()
 * ```
 */
export class LegacyBridge {
  readonly #socket = new Subscriber()
  readonly #options: LegacyBridgeOptions
  readonly #rejectionLog: RejectionLog
  readonly #rejected = emptyRejectCounts()
  readonly #loop: Promise<void>
  #bridged = 0
  #publishFailed = 0
  #fromFedmsg1 = 0

  private constructor(options: LegacyBridgeOptions) {
    this.#options = options
    this.#rejectionLog = new RejectionLog(options.logger)
    for (const endpoint of options.endpoints) this.#socket.connect(endpoint)
    this.#socket.subscribe()
    this.#loop = this.#run()
  }

  /** Connects to the legacy endpoints and starts bridging. */
  static start(options: LegacyBridgeOptions): LegacyBridge {
    return new LegacyBridge(options)
  }

  stats(): LegacyBridgeStats {
    return {
      bridged: this.#bridged,
      rejected: { ...this.#rejected },
      publishFailed: this.#publishFailed,
      fromFedmsg1: this.#fromFedmsg1,
    }
  }

  /** Stops reading the legacy bus; the publisher is the caller's to close. */
  async close(): Promise<void> {
    this.#socket.close()
    await this.#loop
  }

  async #run(): Promise<void> {
    try {
      for await (const frames of this.#socket) await this.#bridge(frames)
    } catch (error) {
      if (!this.#socket.closed)
        this.#options.logger.error({ err: error }, 'legacy bridge stopped reading')
    }
  }

  async #bridge(frames: Buffer[]): Promise<void> {
    const result =
      frames.length === 2
        ? this.#options.verifier.verify(frames[0]!, frames[1]!)
        : ({
            ok: false,
            reason: 'malformed',
            detail: `a legacy message has 2 frames, not ${frames.length}`,
          } as const)
    if (!result.ok) {
      this.#rejected[result.reason] += 1
      this.#rejectionLog.record(result, Date.now())
      return
    }
    const { message } = result
    if (cameFromFedmsg1(message)) {
      this.#fromFedmsg1 += 1
      return
    }
    try {
      await this.#options.publisher.publish(message.topic, bridgedBody(message), {
        headers: bridgedHeaders(message),
      })
      this.#bridged += 1
    } catch (error) {
      this.#publishFailed += 1
      this.#options.logger.error(
        { err: error, topic: message.topic, legacy_sha256: message.frameSha256 },
        'bridged message not published',
      )
    }
  }
}
