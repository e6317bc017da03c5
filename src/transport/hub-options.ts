import { pino, type Logger } from 'pino'
import type { FedmsgConfig } from '../config/config-types.js'
import type { LoadConfigOptions } from '../config/load-config.js'
import type { EnvelopeVerifier } from '../crypto/envelope-verifier.js'
import { defaultVerifyWorkers } from '../crypto/verifier-pool-options.js'
import type { Consumer } from './consumer.js'
import { resolveConfig, type ConfigInput } from './resolve-config.js'

export interface HubOptions {
  /** Default: what `loadConfig(configOptions)` finds; the dev defaults when none is named or found. */
  readonly config?: ConfigInput
  readonly configOptions?: LoadConfigOptions
  /** Run in addition to the modules of `config.consumers`. */
  readonly consumers?: readonly Consumer[]
  /** Default: silent. */
  readonly logger?: Logger
  /**
   * Default: built from the config, with the hub's start time as the replay floor, on `verify_workers` worker
   * threads. A verifier passed here is used as is, on the main thread (set its `notBeforeMs` yourself).
   */
  readonly verifier?: EnvelopeVerifier
  /** PUB addresses to connect to; default every address of `endpoints` plus `relay_outbound`. */
  readonly connect?: readonly string[]
  /** Clock in ms (verifier, sequence tracking, start time); default `Date.now`. */
  readonly now?: () => number
  /** How often CRL files are checked for changes; default 5000 ms. */
  readonly crlPollIntervalMs?: number
  /** One log line per (reason, signer, topic) per this interval; default 10 000 ms. */
  readonly rejectionLogIntervalMs?: number
}

export interface ResolvedHubOptions {
  readonly config: FedmsgConfig
  readonly logger: Logger
  readonly addresses: readonly string[]
  readonly now: () => number
  readonly crlPollIntervalMs: number
  readonly rejectionLogIntervalMs: number
  /** A publisher not heard from for this long is reported silent: three heartbeat intervals. */
  readonly silentAfterMs: number
  /** Worker threads to verify on (`verify_workers`, "auto" resolved); 0: the main thread. */
  readonly verifyWorkers: number
}

/** Applies the hub's defaults, in one place. */
export function resolveHubOptions(options: HubOptions): ResolvedHubOptions {
  const config = resolveConfig(options.config, options.configOptions)
  const addresses = options.connect ?? [
    ...Object.values(config.endpoints).flat(),
    ...(config.relay_outbound === undefined ? [] : [config.relay_outbound]),
  ]
  return {
    config,
    logger: options.logger ?? pino({ level: 'silent' }),
    addresses: [...new Set(addresses)],
    now: options.now ?? Date.now,
    crlPollIntervalMs: options.crlPollIntervalMs ?? 5000,
    rejectionLogIntervalMs: options.rejectionLogIntervalMs ?? 10_000,
    silentAfterMs: 3 * config.heartbeat_interval_ms,
    verifyWorkers:
      config.verify_workers === 'auto' ? defaultVerifyWorkers() : config.verify_workers,
  }
}
