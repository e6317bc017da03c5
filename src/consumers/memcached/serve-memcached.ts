import { createCommandLogger } from '../../cli/logging.js'
import { loadCliConfig } from '../../cli/load-cli-config.js'
import { startOptionalMetrics } from '../../cli/optional-metrics.js'
import { runUntilSignal } from '../../cli/run-until-signal.js'
import { subscribeAddresses } from '../../cli/subscribe-addresses.js'
import { warnAboutDevDefaults } from '../../cli/dev-defaults-warning.js'
import { UsageError } from '../../errors.js'
import { registerHubMetrics } from '../../metrics/hub-metrics.js'
import { createHub } from '../../hub/hub.js'
import { createSummarizerFromConfig } from '../../meta/summarizer-from-config.js'
import { registerMemcachedMetrics } from './memcached-metrics.js'
import { memcachedOptionsFromConfig, type MemcachedOptions } from './memcached-options.js'
import { MemcachedSink } from './memcached-sink.js'

/** Flags of `fedmsg memcached`: each set one overrides the config's `memcached` section. */
export interface ServeMemcachedFlags extends Partial<MemcachedOptions> {
  /** Longest wait, on stop, for changed lists to be written. */
  readonly drainMs?: number
  readonly config?: string
  readonly connect: readonly string[]
  readonly metrics?: string
}

/**
 * Runs `fedmsg memcached` until SIGTERM/SIGINT: a hub (every check of `fedmsg hub`, none of the config's
 * consumer modules) whose one consumer keeps the latest messages of each topic pattern in memcached. On
 * stop, writes what changed for up to `drainMs`. Startup failures throw (exit status 2); a memcached that is
 * down or goes away is retried, never fatal.
 *
 * @example
 * ```ts
 * await serveMemcached({ servers: ['127.0.0.1:11211'], topics: [{ pattern: 'org.fedoraproject.*.bodhi.>', keep: 50 }], connect: [] })
 * ```
 */
export async function serveMemcached(flags: ServeMemcachedFlags): Promise<void> {
  const loaded = loadCliConfig(flags.config, { metrics_address: flags.metrics })
  const config = { ...loaded.config, consumers: [] }
  const { servers, topics, keyPrefix, expiresSeconds, timeoutMs } = flags
  const options = memcachedOptionsFromConfig(config.memcached, {
    servers,
    topics,
    keyPrefix,
    expiresSeconds,
    timeoutMs,
  })
  if (options.servers.length === 0 || options.topics.length === 0) {
    throw new UsageError(
      'fedmsg memcached needs --server and --topic, or a memcached section in the config (docs/memcached.md)',
    )
  }
  const log = createCommandLogger('fedmsg-memcached', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const summarize = await createSummarizerFromConfig(config)
  const sink = new MemcachedSink(options, summarize, log)
  const connect = flags.connect.length > 0 ? flags.connect : subscribeAddresses(config)
  const hub = await createHub({
    config,
    logger: log,
    connect,
    consumers: [{ name: 'memcached', topic: sink.topics, consume: (m) => sink.offer(m) }],
  }).catch((error: unknown) => {
    sink.close()
    throw error
  })
  let stopping = false
  const metrics = await startOptionalMetrics({
    address: config.metrics_address,
    register: (registry) => {
      registerHubMetrics(registry, () => hub.stats())
      registerMemcachedMetrics(registry, () => sink.stats())
    },
    stopping: () => stopping,
    cleanUp: () => Promise.all([hub.close(), sink.drain(AbortSignal.abort())]),
  })
  const stopped = runUntilSignal(
    async () => {
      await hub.drain()
      await sink.drain(AbortSignal.timeout(flags.drainMs ?? 5_000))
      await metrics?.close()
    },
    {
      onStop: (signal) => {
        stopping = true
        log.info({ signal }, 'memcached stopping: writing what changed')
      },
    },
  )
  log.info(
    { connect, servers: options.servers, topics: sink.topics, metrics: metrics?.url },
    'memcached started',
  )
  const cause = await stopped
  log.info({ cause, ...sink.stats() }, 'memcached stopped')
}
