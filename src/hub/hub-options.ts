import { homedir } from 'node:os'
import { join } from 'node:path'
import { pino, type Logger } from 'pino'
import type { FedmsgConfig } from '../config/config-types.js'
import type { LoadConfigOptions } from '../config/load-config.js'
import type { EnvelopeVerifier } from '../crypto/envelope/envelope-verifier.js'
import { defaultVerifyWorkers } from '../verification/pool/verifier-pool-options.js'
import type { Consumer } from './consumer.js'
import { CRL_POLL_INTERVAL_MS } from '../verification/crl-watcher.js'
import { resolveConfig, type ConfigInput } from '../transport/resolve-config.js'

export interface HubOptions {
  /** Default: what `loadConfig(configOptions)` finds; the dev defaults when none is named or found. */
  readonly config?: ConfigInput
  readonly configOptions?: LoadConfigOptions
  /** Run in addition to the modules of `config.consumers`. */
  readonly consumers?: readonly Consumer[]
  /** Default: silent. */
  readonly logger?: Logger
  /**
   * Default: built from the config, with the replay journal of `stateDir`, on `verify_workers` worker threads.
   * A verifier passed here is used as is, on the main thread, with no journal (give it a `replayAdmission` or
   * a `notBeforeMs` yourself).
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
  /**
   * Where the replay journal lives (in `<stateDir>/hub`); default `config.state_dir`, else
   * {@link defaultStateDir}. `null` keeps accepted `msg_id`s in memory only and refuses everything stamped
   * before the start instead: for a hub whose bus cannot have existed before it (tests, the demo).
   */
  readonly stateDir?: string | null
  /** Environment for the default state directory; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv
}

/** The hub's defaults, in one place. */
export const HUB_DEFAULTS = Object.freeze({
  crlPollIntervalMs: CRL_POLL_INTERVAL_MS,
  rejectionLogIntervalMs: 10_000,
  /**
   * `replay_fsync` when the configuration does not set it: no fdatasync per write (its cost, measured: docs/operations.md,
   * "Replay after a restart"); a crash of the machine then makes the journal count as lost (fail closed).
   */
  replayFsync: false,
})

/**
 * The state directory a hub uses when neither the options nor the configuration name one: systemd's
 * `$STATE_DIRECTORY` (set by `StateDirectory=`), else `$XDG_STATE_HOME/fedmsg`, else `~/.local/state/fedmsg`.
 *
 * @example
 * ```ts
 * defaultStateDir({ STATE_DIRECTORY: '/var/lib/fedmsg' }) // '/var/lib/fedmsg'
 * ```
 */
export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  const systemd = env.STATE_DIRECTORY?.split(':')[0]
  if (systemd) return systemd
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'fedmsg')
  return join(env.HOME ?? homedir(), '.local', 'state', 'fedmsg')
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
  /** The replay journal's directory, or null for memory only. */
  readonly journalDir: string | null
  readonly replayFsync: boolean
}

/** Applies the hub's defaults, in one place. */
export function resolveHubOptions(options: HubOptions): ResolvedHubOptions {
  const config = resolveConfig(options.config, options.configOptions)
  const addresses = options.connect ?? [
    ...Object.values(config.endpoints).flat(),
    ...(config.relay_outbound === undefined ? [] : [config.relay_outbound]),
  ]
  const stateDir =
    options.stateDir === undefined
      ? (config.state_dir ?? defaultStateDir(options.env ?? process.env))
      : options.stateDir
  return {
    config,
    logger: options.logger ?? pino({ level: 'silent' }),
    addresses: [...new Set(addresses)],
    now: options.now ?? Date.now,
    crlPollIntervalMs: options.crlPollIntervalMs ?? HUB_DEFAULTS.crlPollIntervalMs,
    rejectionLogIntervalMs: options.rejectionLogIntervalMs ?? HUB_DEFAULTS.rejectionLogIntervalMs,
    silentAfterMs: 3 * config.heartbeat_interval_ms,
    verifyWorkers:
      config.verify_workers === 'auto' ? defaultVerifyWorkers() : config.verify_workers,
    journalDir: stateDir === null ? null : join(stateDir, 'hub'),
    replayFsync: config.replay_fsync ?? HUB_DEFAULTS.replayFsync,
  }
}
