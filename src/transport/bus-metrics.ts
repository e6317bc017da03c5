import type { HubStats } from './hub.js'
import { PrometheusText, type Labels } from './prometheus-text.js'
import type { RejectCounts } from './reject-counts.js'
import type { RelayStats } from './relay.js'

type PerConsumer = HubStats['consumers'][string]

/**
 * A hub's counters as Prometheus metrics (docs/operations.md, "Metrics"). Rejections carry the label `reason`
 * (every reason code, zeros included, so alerts can name one that never fired yet); consumer counters carry
 * `consumer`. Verify latency is a histogram in seconds.
 *
 * @example
 * ```ts
 * const text = formatHubMetrics(hub.stats())
 * ```
 */
export function formatHubMetrics(stats: HubStats): string {
  const { sequence, crl, verifyLatency } = stats
  const byConsumer = (pick: (c: PerConsumer) => number) =>
    Object.entries(stats.consumers).map(([name, c]): [Labels, number] => [
      { consumer: name },
      pick(c),
    ])
  return new PrometheusText()
    .counter('fedmsg_hub_messages_received_total', 'Messages read off the sockets.', stats.received)
    .counter(
      'fedmsg_hub_messages_verified_total',
      'Messages that passed every check, schema included.',
      stats.verified,
    )
    .counter(
      'fedmsg_hub_messages_rejected_total',
      'Messages rejected, by reason code.',
      byReason(stats.rejected),
    )
    .counter(
      'fedmsg_hub_messages_dispatched_total',
      'Deliveries into consumer queues (one message to two consumers counts two).',
      stats.dispatched,
    )
    .counter(
      'fedmsg_hub_verify_errors_total',
      'Messages lost with a verifier thread that died: never dispatched.',
      stats.verifyErrors,
    )
    .counter('fedmsg_hub_heartbeats_total', 'Verified publisher heartbeats.', stats.heartbeats)
    .counter(
      'fedmsg_hub_disconnects_total',
      'Publisher connections that dropped (oversize frames included).',
      stats.disconnects,
    )
    .counter(
      'fedmsg_hub_consumer_dispatched_total',
      'Messages queued for a consumer.',
      byConsumer((c) => c.dispatched),
    )
    .counter(
      'fedmsg_hub_consumer_completed_total',
      'Consumer calls that finished in time.',
      byConsumer((c) => c.completed),
    )
    .counter(
      'fedmsg_hub_consumer_errors_total',
      'Consumer calls that threw or rejected.',
      byConsumer((c) => c.errors),
    )
    .counter(
      'fedmsg_hub_consumer_timeouts_total',
      'Consumer calls still running at their timeout.',
      byConsumer((c) => c.timeouts),
    )
    .counter(
      'fedmsg_hub_consumer_dropped_total',
      'Messages dropped because the consumer queue was full or the hub closed.',
      byConsumer((c) => c.dropped),
    )
    .gauge(
      'fedmsg_hub_consumer_queue_depth',
      'Messages waiting for a consumer now.',
      byConsumer((c) => c.queueDepth),
    )
    .counter(
      'fedmsg_hub_sequence_gap_messages_total',
      'Messages missing from publisher sequences (lost on the way).',
      sequence.gaps,
    )
    .counter(
      'fedmsg_hub_sequence_gaps_total',
      'Times a publisher sequence jumped.',
      sequence.gapEvents,
    )
    .counter(
      'fedmsg_hub_publisher_restarts_total',
      'Times a publisher sequence went back.',
      sequence.restarts,
    )
    .gauge('fedmsg_hub_publishers', 'Publishers tracked now.', sequence.publishers)
    .gauge(
      'fedmsg_hub_silent_publishers',
      'Tracked publishers not heard from for three heartbeat intervals.',
      sequence.silent,
    )
    .counter(
      'fedmsg_hub_publishers_finished_total',
      'Publishers that closed cleanly (goodbye heartbeat); never counted silent.',
      sequence.finished,
    )
    .counter('fedmsg_hub_crl_reloads_total', 'CRL sets reloaded after a file changed.', crl.reloads)
    .counter(
      'fedmsg_hub_crl_reload_failures_total',
      'CRL reloads that failed (the last good set stays).',
      crl.failures,
    )
    .histogram('fedmsg_hub_verify_duration_seconds', 'Time to verify one message.', {
      bounds: verifyLatency.bucketsMs.map((ms) => ms / 1000),
      cumulative: verifyLatency.counts,
      count: verifyLatency.count,
      sum: verifyLatency.sumMs / 1000,
    })
    .toString()
}

/**
 * A relay's counters as Prometheus metrics.
 *
 * @example
 * ```ts
 * const text = formatRelayMetrics(relay.stats())
 * ```
 */
export function formatRelayMetrics(stats: RelayStats): string {
  return new PrometheusText()
    .counter(
      'fedmsg_relay_messages_received_total',
      'Messages read from the inbound socket and the upstream subscriptions.',
      stats.received,
    )
    .counter(
      'fedmsg_relay_messages_forwarded_total',
      'Messages sent on the outbound socket.',
      stats.forwarded,
    )
    .counter(
      'fedmsg_relay_messages_rejected_total',
      'Messages dropped by the relay verifier, by reason code.',
      byReason(stats.rejected),
    )
    .toString()
}

function byReason(counts: Readonly<RejectCounts>): [Labels, number][] {
  return Object.entries(counts).map(([reason, n]): [Labels, number] => [{ reason }, n])
}
