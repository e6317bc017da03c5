import type { Registry } from 'prom-client'
import type { HubStats } from '../hub/hub-stats.js'
import {
  registerSnapshotCounter,
  registerSnapshotGauge,
  registerSnapshotHistogram,
  samplesByReason,
  type Labels,
} from './snapshot-metrics.js'

type PerConsumer = HubStats['consumers'][string]

/**
 * Adds a hub's counters to `registry` (docs/operations.md, "Metrics"), read from `stats()` at each scrape.
 * Rejections carry the label `reason` (every reason code, zeros included); consumer counters carry
 * `consumer`. Verify latency is a histogram in seconds.
 *
 * @example
 * ```ts
 * registerHubMetrics(registry, () => hub.stats())
 * ```
 */
export function registerHubMetrics(registry: Registry, stats: () => HubStats): void {
  const counter = (name: string, help: string, read: (s: HubStats) => number) =>
    registerSnapshotCounter(registry, { name, help, read: () => read(stats()) })
  const perConsumer = (name: string, help: string, pick: (c: PerConsumer) => number) => ({
    name,
    help,
    labelNames: ['consumer'],
    read: () =>
      Object.entries(stats().consumers).map(([consumer, c]): [Labels, number] => [
        { consumer },
        pick(c),
      ]),
  })
  counter('fedmsg_hub_messages_received_total', 'Messages read off the sockets.', (s) => s.received)
  counter(
    'fedmsg_hub_messages_verified_total',
    'Messages that passed every check, schema included.',
    (s) => s.verified,
  )
  registerSnapshotCounter(registry, {
    name: 'fedmsg_hub_messages_rejected_total',
    help: 'Messages rejected, by reason code.',
    labelNames: ['reason'],
    read: () => samplesByReason(stats().rejected),
  })
  counter(
    'fedmsg_hub_messages_dispatched_total',
    'Deliveries into consumer queues (one message to two consumers counts two).',
    (s) => s.dispatched,
  )
  counter(
    'fedmsg_hub_verify_errors_total',
    'Messages lost with a verifier thread that died: never dispatched.',
    (s) => s.verifyErrors,
  )
  counter('fedmsg_hub_heartbeats_total', 'Verified publisher heartbeats.', (s) => s.heartbeats)
  counter(
    'fedmsg_hub_disconnects_total',
    'Publisher connections that dropped (oversize frames included).',
    (s) => s.disconnects,
  )
  for (const [name, help, pick] of CONSUMER_COUNTERS) {
    registerSnapshotCounter(registry, perConsumer(name, help, pick))
  }
  registerSnapshotGauge(
    registry,
    perConsumer(
      'fedmsg_hub_consumer_queue_depth',
      'Messages waiting for a consumer now.',
      (c) => c.queueDepth,
    ),
  )
  counter(
    'fedmsg_hub_sequence_gap_messages_total',
    'Messages missing from publisher sequences (lost on the way).',
    (s) => s.sequence.gaps,
  )
  counter(
    'fedmsg_hub_sequence_gaps_total',
    'Times a publisher sequence jumped.',
    (s) => s.sequence.gapEvents,
  )
  counter(
    'fedmsg_hub_publisher_restarts_total',
    'Times a publisher sequence went back.',
    (s) => s.sequence.restarts,
  )
  registerSnapshotGauge(registry, {
    name: 'fedmsg_hub_publishers',
    help: 'Publishers tracked now.',
    read: () => stats().sequence.publishers,
  })
  registerSnapshotGauge(registry, {
    name: 'fedmsg_hub_silent_publishers',
    help: 'Tracked publishers not heard from for three heartbeat intervals.',
    read: () => stats().sequence.silent,
  })
  counter(
    'fedmsg_hub_publishers_finished_total',
    'Publishers that closed cleanly (goodbye heartbeat); never counted silent.',
    (s) => s.sequence.finished,
  )
  counter(
    'fedmsg_hub_crl_reloads_total',
    'CRL sets reloaded after a file changed.',
    (s) => s.crl.reloads,
  )
  counter(
    'fedmsg_hub_crl_reload_failures_total',
    'CRL reloads that failed (the last good set stays).',
    (s) => s.crl.failures,
  )
  registerSnapshotCounter(registry, {
    name: 'fedmsg_hub_gap_fill_total',
    help: 'Gap fill from a store (gap_fill): requests, failures, skipped gaps, envelopes by outcome.',
    labelNames: ['outcome'],
    read: () =>
      Object.entries(stats().gapFill ?? {}).map(([outcome, n]): [Labels, number] => [
        { outcome: outcome.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) },
        n,
      ]),
  })
  registerSnapshotHistogram(registry, {
    name: 'fedmsg_hub_verify_duration_seconds',
    help: 'Time to verify one message.',
    read: () => stats().verifyLatency,
  })
}

const CONSUMER_COUNTERS: readonly (readonly [string, string, (c: PerConsumer) => number])[] = [
  ['fedmsg_hub_consumer_dispatched_total', 'Messages queued for a consumer.', (c) => c.dispatched],
  [
    'fedmsg_hub_consumer_completed_total',
    'Consumer calls that finished in time.',
    (c) => c.completed,
  ],
  ['fedmsg_hub_consumer_errors_total', 'Consumer calls that threw or rejected.', (c) => c.errors],
  [
    'fedmsg_hub_consumer_timeouts_total',
    'Consumer calls still running at their timeout.',
    (c) => c.timeouts,
  ],
  [
    'fedmsg_hub_consumer_dropped_total',
    'Messages dropped because the consumer queue was full or the hub closed.',
    (c) => c.dropped,
  ],
]
