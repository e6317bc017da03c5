import { createCommandLogger } from '../../cli/logging.js'
import { loadCliConfig } from '../../cli/load-cli-config.js'
import { startOptionalMetrics } from '../../cli/optional-metrics.js'
import { runUntilSignal } from '../../cli/run-until-signal.js'
import { subscribeAddresses } from '../../cli/subscribe-addresses.js'
import { warnAboutDevDefaults } from '../../cli/dev-defaults-warning.js'
import { registerHubMetrics } from '../../metrics/hub-metrics.js'
import { createHub } from '../../hub/hub.js'
import { createSummarizerFromConfig } from '../../meta/summarizer-from-config.js'
import { openMessageDatabase } from '../../store/message-database.js'
import { registerStoreMetrics } from '../../store/store-metrics.js'
import { resolveStoreOptions, type StoreOptions } from '../../store/store-options.js'
import { DEFAULT_STORE_URL, parseStoreUrl } from '../../store/store-url.js'
import { storedMessageOf } from '../../store/stored-message.js'
import { StoreWriter } from '../../store/store-writer.js'
import { Retention } from '../../store/retention.js'

/** Flags of `fedmsg store`. */
export interface ServeStoreFlags extends Partial<StoreOptions> {
  readonly db?: string
  readonly config?: string
  readonly connect: readonly string[]
  readonly metrics?: string
  /** Delete messages older than this, ms (`--retain 90d`); absent keeps everything. */
  readonly retainMs?: number
  /** How long a stop may spend writing what is queued before dropping it, ms (default 10 s). */
  readonly drainTimeoutMs?: number
}

/**
 * Runs `fedmsg store` until SIGTERM/SIGINT: a hub (every check of `fedmsg hub`, none of the config's
 * consumer modules) whose one consumer queues each verified message, its envelope byte for byte, for the
 * database. Rejected messages never reach it (the hub counts them by reason). Startup failures throw.
 *
 * @example
 * ```ts
 * await serveStore({ db: 'sqlite:/var/lib/fedmsg/fedmsg.db', connect: [] })
 * ```
 */
export async function serveStore(flags: ServeStoreFlags): Promise<void> {
  // Checked before the config layer sees it, whose errors quote the value (a URL may hold a password).
  if (flags.db !== undefined) parseStoreUrl(flags.db, process.cwd())
  const loaded = loadCliConfig(flags.config, {
    metrics_address: flags.metrics,
    ...(flags.db === undefined ? {} : { store: { db: flags.db } }),
  })
  const config = { ...loaded.config, consumers: [] }
  const log = createCommandLogger('fedmsg-store', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const url = config.store?.db ?? DEFAULT_STORE_URL
  const cwd = process.cwd()
  const location = parseStoreUrl(url, cwd)
  const writer = new StoreWriter(
    () => openMessageDatabase(url, cwd),
    resolveStoreOptions(flags),
    log,
  )
  const retention =
    flags.retainMs === undefined
      ? undefined
      : new Retention(() => openMessageDatabase(url, cwd), flags.retainMs, log)
  // Each row keeps its summary's users and packages, for `--user`/`--package` and datagrepper's `user=`.
  const summarize = await createSummarizerFromConfig(config)
  const connect = flags.connect.length > 0 ? flags.connect : subscribeAddresses(config)
  const hub = await createHub({
    config,
    logger: log,
    connect,
    consumers: [
      {
        name: 'store',
        topic: `${config.topic_prefix}.>`,
        consume: (message) =>
          writer.offer(storedMessageOf(message, Date.now(), summarize(message))),
      },
    ],
  })
  let stopping = false
  const metrics = await startOptionalMetrics({
    address: config.metrics_address,
    register: (registry) => {
      registerHubMetrics(registry, () => hub.stats())
      registerStoreMetrics(registry, () => ({ ...writer.stats(), pruned: retention?.pruned ?? 0 }))
    },
    stopping: () => stopping || !writer.stats().connected,
    cleanUp: () => Promise.all([hub.close(), writer.drain(0), retention?.close()]),
  })
  const stopped = runUntilSignal(
    async () => {
      await hub.drain()
      await retention?.close()
      await writer.drain(flags.drainTimeoutMs ?? 10_000)
      await metrics?.close()
    },
    {
      onStop: (signal) => {
        stopping = true
        log.info({ signal }, 'store stopping: writing what is queued')
      },
    },
  )
  // The URL may carry a password: log the backend and, for SQLite, the file only.
  const where = location.type === 'sqlite' ? location.path : 'postgres'
  log.info({ connect, db: where, metrics: metrics?.url }, 'store started')
  const cause = await stopped
  log.info({ cause, ...writer.stats() }, 'store stopped')
}
