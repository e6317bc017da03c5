import type { Registry } from 'prom-client'
import {
  registerSnapshotCounter,
  registerSnapshotGauge,
  type Labels,
} from '../../metrics/snapshot-metrics.js'
import type { TriggerStats } from './trigger-runner.js'

/**
 * Adds a trigger's counters to `registry`, next to the hub's own on `fedmsg trigger --metrics`; read from
 * `stats()` at each scrape.
 *
 * @example
 * ```ts
 * registerTriggerMetrics(registry, () => runner.stats())
 * ```
 */
export function registerTriggerMetrics(registry: Registry, stats: () => TriggerStats): void {
  const counter = (name: string, help: string, read: (s: TriggerStats) => number) =>
    registerSnapshotCounter(registry, { name, help, read: () => read(stats()) })
  const gauge = (name: string, help: string, read: (s: TriggerStats) => number) =>
    registerSnapshotGauge(registry, { name, help, read: () => read(stats()) })
  counter('fedmsg_trigger_commands_started_total', 'Commands started.', (s) => s.started)
  registerSnapshotCounter(registry, {
    name: 'fedmsg_trigger_command_exits_total',
    help: 'Commands that ended, by exit code or by the signal that ended them.',
    labelNames: ['code'],
    read: () => Object.entries(stats().exits).map(([code, n]): [Labels, number] => [{ code }, n]),
  })
  counter(
    'fedmsg_trigger_command_timeouts_total',
    'Commands killed at the timeout.',
    (s) => s.timeouts,
  )
  counter(
    'fedmsg_trigger_spawn_errors_total',
    'Commands that could not be started.',
    (s) => s.spawnErrors,
  )
  counter(
    'fedmsg_trigger_messages_dropped_total',
    'Messages not run because the queue was full or the trigger stopped.',
    (s) => s.dropped,
  )
  gauge('fedmsg_trigger_running', 'Commands running now.', (s) => s.running)
  gauge('fedmsg_trigger_queue_depth', 'Messages waiting for a free slot now.', (s) => s.queueDepth)
}
