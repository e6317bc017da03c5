import { PrometheusText, type Labels } from '../../transport/prometheus-text.js'
import type { TriggerStats } from './trigger-runner.js'

/**
 * A trigger's counters as Prometheus metrics, served after the hub's own on `fedmsg trigger --metrics`.
 *
 * @example
 * ```ts
 * const text = formatHubMetrics(hub.stats()) + formatTriggerMetrics(runner.stats())
 * ```
 */
export function formatTriggerMetrics(stats: TriggerStats): string {
  const exits = Object.entries(stats.exits).map(([code, n]): [Labels, number] => [{ code }, n])
  return new PrometheusText()
    .counter('fedmsg_trigger_commands_started_total', 'Commands started.', stats.started)
    .counter(
      'fedmsg_trigger_command_exits_total',
      'Commands that ended, by exit code or by the signal that ended them.',
      exits,
    )
    .counter(
      'fedmsg_trigger_command_timeouts_total',
      'Commands killed at the timeout.',
      stats.timeouts,
    )
    .counter(
      'fedmsg_trigger_spawn_errors_total',
      'Commands that could not be started.',
      stats.spawnErrors,
    )
    .counter(
      'fedmsg_trigger_messages_dropped_total',
      'Messages not run because the queue was full or the trigger stopped.',
      stats.dropped,
    )
    .gauge('fedmsg_trigger_running', 'Commands running now.', stats.running)
    .gauge('fedmsg_trigger_queue_depth', 'Messages waiting for a free slot now.', stats.queueDepth)
    .toString()
}
