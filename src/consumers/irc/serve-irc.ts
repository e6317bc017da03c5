import { createCommandLogger } from '../../cli/logging.js'
import { loadCliConfig } from '../../cli/load-cli-config.js'
import { startOptionalMetrics } from '../../cli/optional-metrics.js'
import { runUntilSignal } from '../../cli/run-until-signal.js'
import { subscribeAddresses } from '../../cli/subscribe-addresses.js'
import { warnAboutDevDefaults } from '../../cli/dev-defaults-warning.js'
import { assertValidTopicPattern } from '../../crypto/policy/topic-pattern.js'
import { registerHubMetrics } from '../../metrics/hub-metrics.js'
import { createHub } from '../../hub/hub.js'
import { createSummarizerFromConfig } from '../../meta/summarizer-from-config.js'
import { IrcBot } from './irc-bot.js'
import { registerIrcMetrics } from './irc-metrics.js'
import type { IrcOptions } from './irc-options.js'

/** Flags of `fedmsg irc`. */
export interface ServeIrcFlags extends IrcOptions {
  readonly config?: string
  readonly connect: readonly string[]
  readonly metrics?: string
}

/**
 * Runs `fedmsg irc` until SIGTERM/SIGINT: a hub (every check of `fedmsg hub`, none of the config's consumer
 * modules) whose one consumer posts a summary line per verified message to the channels whose topics match.
 * Startup failures throw (exit status 2); a server that is down or goes away is retried, never fatal.
 *
 * @example
 * ```ts
 * await serveIrc({ host: 'irc.libera.chat', channels: [{ name: '#fedora-firehose', topics: ['>'] }], connect: [] })
 * ```
 */
export async function serveIrc(flags: ServeIrcFlags): Promise<void> {
  for (const channel of flags.channels) channel.topics.forEach(assertValidTopicPattern)
  const loaded = loadCliConfig(flags.config, { metrics_address: flags.metrics })
  const config = { ...loaded.config, consumers: [] }
  const log = createCommandLogger('fedmsg-irc', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const failedProcessors = new Set<string>()
  const summarize = await createSummarizerFromConfig(config, {
    onProcessorError: (processor, err) => {
      // Once per processor: a processor that fails on every message must not flood the log.
      if (failedProcessors.has(processor)) return
      failedProcessors.add(processor)
      log.warn({ processor, err }, 'summary processor failed: fallback summary used')
    },
  })
  const bot = new IrcBot(flags, summarize, log)
  const connect = flags.connect.length > 0 ? flags.connect : subscribeAddresses(config)
  const hub = await createHub({
    config,
    logger: log,
    connect,
    consumers: [{ name: 'irc', topic: bot.topics, consume: (m) => bot.offer(m) }],
  })
  bot.start()
  let stopping = false
  const metrics = await startOptionalMetrics({
    address: config.metrics_address,
    register: (registry) => {
      registerHubMetrics(registry, () => hub.stats())
      registerIrcMetrics(registry, () => bot.stats())
    },
    stopping: () => stopping,
    cleanUp: () => Promise.all([hub.close(), bot.close()]).then(() => undefined),
  })
  const stopped = runUntilSignal(
    async () => {
      await hub.drain()
      await bot.close()
      await metrics?.close()
    },
    {
      onStop: (signal) => {
        stopping = true
        log.info({ signal }, 'irc stopping')
      },
    },
  )
  log.info(
    {
      connect,
      server: `${flags.host}:${flags.port ?? ''}`,
      topics: bot.topics,
      metrics: metrics?.url,
    },
    'irc started',
  )
  const cause = await stopped
  log.info({ cause, ...bot.stats() }, 'irc stopped')
}
