import type { Logger } from 'pino'
import type { FedmsgConfig } from '../config/config-types.js'
import { registerHubMetrics } from '../metrics/hub-metrics.js'
import { memcachedForHub } from '../consumers/memcached/memcached-consumer.js'
import type { Consumer } from '../hub/consumer.js'
import { createHub } from '../hub/hub.js'
import { resolveHubOptions } from '../hub/hub-options.js'
import { initReplayJournal } from '../replay-journal/init-replay-journal.js'
import { warnAboutDevDefaults } from './dev-defaults-warning.js'
import { loadCliConfig } from './load-cli-config.js'
import { startOptionalMetrics } from './optional-metrics.js'
import { subscribeAddresses } from './subscribe-addresses.js'
import { createCommandLogger } from './logging.js'
import { runUntilSignal } from './run-until-signal.js'

/** Flags of `fedmsg hub`. */
export interface ServeHubFlags {
  readonly config?: string
  readonly metrics?: string
  readonly logLevel?: FedmsgConfig['log_level']
  /** Initialise the replay journal of a new installation and exit, instead of running. */
  readonly initState?: boolean
}

/**
 * Runs `fedmsg hub` until SIGTERM/SIGINT: a hub on every address of `endpoints` plus `relay_outbound`, with the
 * config's consumers and one that logs each verified message; rejections are logged by the hub itself (one
 * line per reason, signer and topic per 10 s). Then drains the consumers and closes. Startup failures throw
 * (AddressInUse, ConfigNotFound for a missing CA file, …), which the CLI turns into exit status 2.
 *
 * @example
 * ```ts
 * await serveHub({ config: '/etc/fedmsg.d', metrics: '127.0.0.1:9464' })
 * ```
 */
export async function serveHub(flags: ServeHubFlags): Promise<void> {
  const loaded = loadCliConfig(flags.config, {
    metrics_address: flags.metrics,
    log_level: flags.logLevel,
  })
  const { config } = loaded
  if (flags.initState === true) return initState(config)
  const log = createCommandLogger('fedmsg-hub', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const connect = subscribeAddresses(config)
  const memcached = await memcachedForHub(config, log)
  const hub = await createHub({
    config,
    logger: log,
    connect,
    consumers: [verifiedLog(config, log), ...(memcached === undefined ? [] : [memcached.consumer])],
  }).catch(async (error: unknown) => {
    await memcached?.drain(AbortSignal.abort())
    throw error
  })
  let stopping = false
  const metrics = await startOptionalMetrics({
    address: config.metrics_address,
    register: (registry) => {
      registerHubMetrics(registry, () => hub.stats())
      memcached?.register(registry)
    },
    stopping: () => stopping,
    cleanUp: () => Promise.all([hub.close(), memcached?.drain(AbortSignal.abort())]),
  })
  const consumers = Object.keys(hub.stats().consumers)
  const cause = await runUntilSignal(
    async () => {
      await hub.drain()
      await memcached?.drain(AbortSignal.timeout(5_000))
      await metrics?.close()
    },
    {
      onStarted: () => log.info({ connect, consumers, metrics: metrics?.url }, 'hub started'),
      onStop: (signal) => {
        stopping = true
        log.info({ signal }, 'hub stopping: draining consumers')
      },
    },
  )
  const { received, verified, dispatched, rejected } = hub.stats()
  const rejectedTotal = Object.values(rejected).reduce((sum, n) => sum + n, 0)
  log.info({ cause, received, verified, rejected: rejectedTotal, dispatched }, 'hub stopped')
}

/** Logs each verified message (not heartbeats): its topic, signer, msg_id and sequence number. */
function verifiedLog(config: FedmsgConfig, log: Logger): Consumer {
  return {
    name: 'verified-log',
    topic: `${config.topic_prefix}.>`,
    consume(message) {
      const { topic, msgId, i } = message
      log.info({ topic, signer: message.signer.name, msg_id: msgId, i }, 'message verified')
    },
  }
}

// `fedmsg hub --init-state`: the install step that lets a first start admit at once (docs/operations.md,
// "Replay after a restart"). An existing journal is never reset.
function initState(config: FedmsgConfig): void {
  const { journalDir } = resolveHubOptions({ config })
  if (journalDir === null) return
  const outcome = initReplayJournal(journalDir)
  process.stdout.write(
    outcome === 'created'
      ? `fedmsg hub: replay journal created in ${journalDir}\n`
      : `fedmsg hub: ${journalDir} already holds a replay journal; nothing changed\n`,
  )
}
