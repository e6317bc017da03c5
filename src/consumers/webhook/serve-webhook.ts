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
import type { WebhookTargetOptions } from './webhook-options.js'
import { registerWebhookMetrics } from './webhook-metrics.js'
import { WebhookSink } from './webhook-sink.js'

/** Flags of `fedmsg webhook`. */
export interface ServeWebhookFlags {
  readonly targets: readonly WebhookTargetOptions[]
  /** Longest wait, on stop, for queued messages to go out. */
  readonly drainMs?: number
  readonly config?: string
  readonly connect: readonly string[]
  readonly metrics?: string
}

/**
 * Runs `fedmsg webhook` until SIGTERM/SIGINT: a hub (every check of `fedmsg hub`, none of the config's
 * consumer modules) whose one consumer POSTs each verified message to the targets whose topics match. On
 * stop, lets the queues drain for up to `drainMs`. Startup failures throw (exit status 2); receivers that
 * fail are retried and counted, never fatal.
 *
 * @example
 * ```ts
 * await serveWebhook({ targets: [{ url: 'https://tickets.example/hook', topics: ['org.fedoraproject.*.git.>'] }], connect: [] })
 * ```
 */
export async function serveWebhook(flags: ServeWebhookFlags): Promise<void> {
  for (const target of flags.targets) target.topics.forEach(assertValidTopicPattern)
  const loaded = loadCliConfig(flags.config, { metrics_address: flags.metrics })
  const config = { ...loaded.config, consumers: [] }
  const log = createCommandLogger('fedmsg-webhook', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const summarize = await createSummarizerFromConfig(config)
  const sink = new WebhookSink(flags.targets, summarize, log)
  const connect = flags.connect.length > 0 ? flags.connect : subscribeAddresses(config)
  const hub = await createHub({
    config,
    logger: log,
    connect,
    consumers: [{ name: 'webhook', topic: sink.topics, consume: (m) => sink.offer(m) }],
  })
  let stopping = false
  const metrics = await startOptionalMetrics({
    address: config.metrics_address,
    register: (registry) => {
      registerHubMetrics(registry, () => hub.stats())
      registerWebhookMetrics(registry, () => sink.stats())
    },
    stopping: () => stopping,
    cleanUp: () => Promise.all([hub.close(), sink.drain(AbortSignal.abort())]),
  })
  const stopped = runUntilSignal(
    async () => {
      await hub.drain()
      await sink.drain(AbortSignal.timeout(flags.drainMs ?? 10_000))
      await metrics?.close()
    },
    {
      onStop: (signal) => {
        stopping = true
        log.info({ signal }, 'webhook stopping: sending what is queued')
      },
    },
  )
  log.info(
    { connect, targets: flags.targets.map((t) => t.url), metrics: metrics?.url },
    'webhook started',
  )
  const cause = await stopped
  log.info({ cause, targets: sink.stats() }, 'webhook stopped')
}
