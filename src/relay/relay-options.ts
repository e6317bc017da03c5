import { pino, type Logger } from 'pino'
import { DEFAULT_CONFIG, type FedmsgConfig } from '../config/config-types.js'
import type { EnvelopeVerifier } from '../crypto/envelope/envelope-verifier.js'
import { defaultVerifyWorkers } from '../verification/pool/verifier-pool-options.js'
import { CRL_POLL_INTERVAL_MS } from '../verification/crl-watcher.js'
import { resolveConfig, type ConfigInput } from '../transport/resolve-config.js'
import type { SocketTuning } from '../transport/socket-options.js'

export interface RelayOptions {
  /** Where the ROUTER for publishers' DEALERs binds (`relay_inbound`). */
  readonly inbound: string
  /** Where the PUB that hubs connect to binds (`relay_outbound`). */
  readonly outbound: string
  /** PUB addresses to subscribe to and forward from, e.g. another relay's outbound (chaining). */
  readonly upstream?: readonly string[]
  /**
   * Checks every message before it is forwarded, on the relay's thread. Omitted: built from `config` (trust,
   * CRLs, policy, freshness; messages stamped before the relay started are refused as replays), on
   * `verifyWorkers` threads. `null`: a plain proxy (`--no-verify`).
   */
  readonly verifier?: EnvelopeVerifier | null
  /**
   * Worker threads the verifier built from `config` runs on: an integer >= 0 or `"auto"`, as `verify_workers`
   * (which `fedmsg relay` passes here). Default 0: the relay's own thread, where each acknowledgement comes
   * without waiting for a batch.
   */
  readonly verifyWorkers?: number | 'auto'
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
  /** Clock in ms (the verifier built from `config`, its replay floor, rejection logs); default `Date.now`. */
  readonly now?: () => number
}

/** The relay's defaults, in one place; the rest come from the configuration. */
export const RELAY_DEFAULTS = Object.freeze({
  crlPollIntervalMs: CRL_POLL_INTERVAL_MS,
  now: Date.now,
  verifyWorkers: 0,
})

/**
 * What a relay builds its own verifier from: the config (its size limit set to `maxMessageBytes`), its clock,
 * and its worker threads ("auto" resolved).
 */
export interface OwnVerifier {
  readonly config: FedmsgConfig
  readonly now: () => number
  readonly workers: number
}

export interface ResolvedRelayOptions {
  readonly inbound: string
  readonly outbound: string
  readonly upstream: readonly string[]
  /** The verifier given (`null`: a plain proxy); undefined when the relay builds its own from `config`. */
  readonly verifier: EnvelopeVerifier | null | undefined
  /**
   * How to build the relay's own verifier from `config` (createRelay does, at the edge: it reads files); the
   * relay then reloads its CRLs itself. Undefined when a verifier (or null) was given.
   */
  readonly ownVerifier: OwnVerifier | undefined
  readonly config: FedmsgConfig
  readonly tuning: SocketTuning
  readonly logger: Logger
  readonly crlPollIntervalMs: number
  readonly now: () => number
}

/**
 * The instant before which a relay that started at `startedAt` refuses messages as replays: the start minus
 * the clock skew, looser than a hub's floor because a relay only filters (docs/threat-model.md, "Replay across
 * a restart").
 */
export function relayReplayFloor(config: FedmsgConfig, startedAt: number): number {
  return startedAt - config.clock_skew_seconds * 1000
}

/**
 * Applies defaults in one place; pure (reads no file, builds nothing). Throws TypeError when there is neither
 * a verifier nor a config.
 *
 * @example
 * ```ts
 * const resolved = resolveRelayOptions({ inbound, outbound, config })
 * ```
 */
export function resolveRelayOptions(options: RelayOptions): ResolvedRelayOptions {
  const config = options.config === undefined ? DEFAULT_CONFIG : resolveConfig(options.config)
  if (options.verifier === undefined && options.config === undefined) {
    throw new TypeError(
      'createRelay needs a verifier, a config to build one from, or verifier: null',
    )
  }
  const now = options.now ?? RELAY_DEFAULTS.now
  const tuning: SocketTuning = {
    highWaterMark: options.hwm ?? config.high_water_mark,
    lingerMs: options.linger ?? config.linger_ms,
    reconnectIvlMs: config.reconnect_ivl_ms,
    maxMessageBytes: options.maxMessageBytes ?? config.max_message_bytes,
  }
  return {
    inbound: options.inbound,
    outbound: options.outbound,
    upstream: options.upstream ?? [],
    verifier: options.verifier,
    ownVerifier:
      options.verifier === undefined
        ? // The socket's limit and the verifier's are one option (`maxMessageBytes`).
          {
            config: { ...config, max_message_bytes: tuning.maxMessageBytes },
            now,
            workers: resolveWorkers(options.verifyWorkers ?? RELAY_DEFAULTS.verifyWorkers),
          }
        : undefined,
    config,
    tuning,
    logger: options.logger ?? pino({ level: 'silent' }),
    crlPollIntervalMs: options.crlPollIntervalMs ?? RELAY_DEFAULTS.crlPollIntervalMs,
    now,
  }
}

function resolveWorkers(workers: number | 'auto'): number {
  if (workers === 'auto') return defaultVerifyWorkers()
  if (!Number.isInteger(workers) || workers < 0) {
    throw new TypeError(`verifyWorkers must be an integer >= 0 or "auto", got ${workers}`)
  }
  return workers
}
