import { createCommandLogger } from '../../cli/logging.js'
import { loadCliConfig } from '../../cli/load-cli-config.js'
import { startOptionalMetrics } from '../../cli/optional-metrics.js'
import { runUntilSignal } from '../../cli/run-until-signal.js'
import { subscribeAddresses } from '../../cli/subscribe-addresses.js'
import { warnAboutDevDefaults } from '../../cli/dev-defaults-warning.js'
import { assertValidTopicPattern } from '../../crypto/policy/topic-pattern.js'
import { registerHubMetrics } from '../../metrics/hub-metrics.js'
import { createHub } from '../../hub/hub.js'
import { registerTriggerMetrics } from './trigger-metrics.js'
import type { TriggerOptions } from './trigger-options.js'
import { TriggerRunner } from './trigger-runner.js'

/** Flags of `fedmsg trigger`. */
export interface ServeTriggerFlags extends Omit<TriggerOptions, 'env'> {
  readonly topic: readonly string[]
  readonly config?: string
  readonly connect: readonly string[]
  readonly metrics?: string
}

/**
 * Runs `fedmsg trigger` until SIGTERM/SIGINT: a hub (every check of `fedmsg hub`, none of the config's
 * consumer modules) whose one consumer runs the command for each verified message on `--topic`. Then lets
 * the queued commands finish and stops. Startup failures throw (exit status 2).
 *
 * @example
 * ```ts
 * await serveTrigger({ topic: ['org.fedoraproject.*.bodhi.>'], connect: [], argv: ['/usr/local/bin/on-update'] })
 * ```
 */
export async function serveTrigger(flags: ServeTriggerFlags): Promise<void> {
  for (const pattern of flags.topic) assertValidTopicPattern(pattern)
  const loaded = loadCliConfig(flags.config, { metrics_address: flags.metrics })
  const config = { ...loaded.config, consumers: [] }
  const log = createCommandLogger('fedmsg-trigger', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const runner = new TriggerRunner(flags, log)
  const connect = flags.connect.length > 0 ? flags.connect : subscribeAddresses(config)
  const hub = await createHub({
    config,
    logger: log,
    connect,
    consumers: [{ name: 'trigger', topic: flags.topic, consume: (m) => void runner.offer(m) }],
  })
  let stopping = false
  const metrics = await startOptionalMetrics({
    address: config.metrics_address,
    register: (registry) => {
      registerHubMetrics(registry, () => hub.stats())
      registerTriggerMetrics(registry, () => runner.stats())
    },
    stopping: () => stopping,
    cleanUp: () => hub.close(),
  })
  // The stop signals are handled from here on; only then say "started": a supervisor that signals as soon as
  // it reads that line must not find the default handler (which kills without draining) still in place.
  const stopped = runUntilSignal(
    async () => {
      await hub.drain()
      await runner.drain()
      await metrics?.close()
    },
    {
      onStop: (signal) => {
        stopping = true
        log.info({ signal }, 'trigger stopping: finishing the running commands')
      },
    },
  )
  log.info(
    { connect, topic: flags.topic, command: flags.argv[0], metrics: metrics?.url },
    'trigger started',
  )
  const cause = await stopped
  log.info({ cause, ...runner.stats() }, 'trigger stopped')
}
