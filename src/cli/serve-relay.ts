import type { FedmsgConfig } from '../config/config-types.js'
import { registerRelayMetrics } from '../metrics/relay-metrics.js'
import { UsageError } from '../errors.js'
import { createRelay } from '../relay/relay.js'
import { warnAboutDevDefaults } from './dev-defaults-warning.js'
import { loadCliConfig } from './load-cli-config.js'
import { startOptionalMetrics } from './optional-metrics.js'
import { createCommandLogger } from './logging.js'
import { runUntilSignal } from './run-until-signal.js'

/** Flags of `fedmsg relay`. */
export interface ServeRelayFlags {
  readonly config?: string
  readonly inbound?: string
  readonly outbound?: string
  readonly upstream: readonly string[]
  /** False with `--no-verify`. */
  readonly verify: boolean
  readonly metrics?: string
  readonly logLevel?: FedmsgConfig['log_level']
}

/**
 * Runs `fedmsg relay` until SIGTERM/SIGINT: binds the inbound ROUTER and the outbound PUB, subscribes to each
 * `--upstream`, and forwards what verifies (everything with `--no-verify`) on `verify_workers` threads,
 * reloading the CRL files when they change. Rejections are logged and counted by reason. Startup failures throw (AddressInUse, ConfigNotFound,
 * …): exit status 2.
 *
 * @example
 * ```ts
 * await serveRelay({ inbound: 'tcp://*:2003', outbound: 'tcp://*:4001', upstream: [], verify: true })
 * ```
 */
export async function serveRelay(flags: ServeRelayFlags): Promise<void> {
  const loaded = loadCliConfig(flags.config, {
    relay_inbound: flags.inbound,
    relay_outbound: flags.outbound,
    metrics_address: flags.metrics,
    log_level: flags.logLevel,
  })
  const { config } = loaded
  const { relay_inbound: inbound, relay_outbound: outbound } = config
  if (inbound === undefined || outbound === undefined) {
    throw new UsageError(
      'the relay needs both addresses: give --inbound and --outbound, or set relay_inbound and relay_outbound',
    )
  }
  const log = createCommandLogger('fedmsg-relay', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const relay = await createRelay({
    inbound,
    outbound,
    upstream: flags.upstream,
    config,
    logger: log,
    // Omitted: built from the config, with its CRL files watched, on verify_workers threads as a hub's.
    // null: a plain proxy.
    ...(flags.verify ? { verifyWorkers: config.verify_workers } : { verifier: null }),
  })
  let stopping = false
  const metrics = await startOptionalMetrics({
    address: config.metrics_address,
    register: (registry) => registerRelayMetrics(registry, () => relay.stats()),
    stopping: () => stopping,
    cleanUp: () => relay.close(),
  })
  const cause = await runUntilSignal(
    async () => {
      await relay.close()
      await metrics?.close()
    },
    {
      onStarted: () =>
        log.info(
          {
            ...relay.endpoints,
            upstream: flags.upstream,
            verify: flags.verify,
            metrics: metrics?.url,
          },
          'relay started',
        ),
      onStop: (signal) => {
        stopping = true
        log.info({ signal }, 'relay stopping')
      },
    },
  )
  const { received, forwarded } = relay.stats()
  log.info({ cause, received, forwarded }, 'relay stopped')
}
