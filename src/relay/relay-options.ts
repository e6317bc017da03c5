import { pino, type Logger } from 'pino'
import { DEFAULT_CONFIG, type FedmsgConfig } from '../config/config-types.js'
import type { EnvelopeVerifier } from '../crypto/envelope/envelope-verifier.js'
import { CRL_POLL_INTERVAL_MS } from '../verification/crl-watcher.js'
import { resolveConfig, type ConfigInput } from '../transport/resolve-config.js'
import type { SocketTuning } from '../transport/socket-options.js'
import { createVerifierFromConfig } from '../verification/verifier-from-config.js'

export interface RelayOptions {
  /** Where the ROUTER for publishers' DEALERs binds (`relay_inbound`). */
  readonly inbound: string
  /** Where the PUB that hubs connect to binds (`relay_outbound`). */
  readonly outbound: string
  /** PUB addresses to subscribe to and forward from, e.g. another relay's outbound (chaining). */
  readonly upstream?: readonly string[]
  /**
   * Checks every message before it is forwarded. Omitted: built from `config` (trust, CRLs, policy, freshness;
   * messages stamped before the relay started are refused as replays). `null`: a plain proxy (`--no-verify`).
   */
  readonly verifier?: EnvelopeVerifier | null
  /** Supplies the defaults below, CURVE keys, and the verifier when `verifier` is omitted. */
  readonly config?: ConfigInput
  /** ZMQ_SNDHWM/ZMQ_RCVHWM; default `high_water_mark`. */
  readonly hwm?: number
  /** ZMQ_MAXMSGSIZE and the verifier's envelope limit; default `max_message_bytes`. */
  readonly maxMessageBytes?: number
  /** ZMQ_LINGER in ms; default `linger_ms`. */
  readonly linger?: number
  /** Default: silent. */
  readonly logger?: Logger
  /**
   * How often, in ms, a relay that built its own verifier checks the `crl` files for changes (default 5000), so
   * that it neither misses a revocation nor refuses everything once its first CRLs pass their nextUpdate.
   */
  readonly crlPollIntervalMs?: number
}

export interface ResolvedRelayOptions {
  readonly inbound: string
  readonly outbound: string
  readonly upstream: readonly string[]
  readonly verifier: EnvelopeVerifier | null
  /** True when the verifier was built here from the config: the relay then reloads its CRLs itself. */
  readonly ownsVerifier: boolean
  readonly config: FedmsgConfig
  readonly tuning: SocketTuning
  readonly logger: Logger
  readonly crlPollIntervalMs: number
}

/**
 * The instant before which a relay that started at `startedAt` refuses messages as replays: the start minus
 * the clock skew. Hubs refuse everything stamped before their start (their replay cache is the boundary);
 * a relay only filters, and a strict floor would refuse what publishers queued while it restarted (their
 * DEALER sockets hold it and send it on reconnect), failing `fedmsg logger` runs that overlapped the restart.
 */
function relayReplayFloor(config: FedmsgConfig, startedAt: number): number {
  return startedAt - config.clock_skew_seconds * 1000
}

/** Applies defaults in one place; throws TypeError when there is neither a verifier nor a config. */
export function resolveRelayOptions(
  options: RelayOptions,
  startedAt: number,
): ResolvedRelayOptions {
  const config = options.config === undefined ? DEFAULT_CONFIG : resolveConfig(options.config)
  let verifier = options.verifier
  if (verifier === undefined) {
    if (options.config === undefined) {
      throw new TypeError(
        'createRelay needs a verifier, a config to build one from, or verifier: null',
      )
    }
    verifier = createVerifierFromConfig(config, {
      notBeforeMs: relayReplayFloor(config, startedAt),
    })
  }
  return {
    inbound: options.inbound,
    outbound: options.outbound,
    upstream: options.upstream ?? [],
    verifier,
    ownsVerifier: options.verifier === undefined,
    config,
    tuning: {
      highWaterMark: options.hwm ?? config.high_water_mark,
      lingerMs: options.linger ?? config.linger_ms,
      reconnectIvlMs: config.reconnect_ivl_ms,
      maxMessageBytes: options.maxMessageBytes ?? config.max_message_bytes,
    },
    logger: options.logger ?? pino({ level: 'silent' }),
    crlPollIntervalMs: options.crlPollIntervalMs ?? CRL_POLL_INTERVAL_MS,
  }
}
