import type { Registry } from 'prom-client'
import type { RelayStats } from '../relay/relay.js'
import { registerSnapshotCounter, samplesByReason } from './snapshot-metrics.js'

/**
 * Adds a relay's counters to `registry` (docs/operations.md, "Metrics"), read from `stats()` at each scrape.
 * Rejections carry the label `reason`, every reason code included, zeros too.
 *
 * @example
 * ```ts
 * registerRelayMetrics(registry, () => relay.stats())
 * ```
 */
export function registerRelayMetrics(registry: Registry, stats: () => RelayStats): void {
  registerSnapshotCounter(registry, {
    name: 'fedmsg_relay_messages_received_total',
    help: 'Messages read from the inbound socket and the upstream subscriptions.',
    read: () => stats().received,
  })
  registerSnapshotCounter(registry, {
    name: 'fedmsg_relay_messages_forwarded_total',
    help: 'Messages sent on the outbound socket.',
    read: () => stats().forwarded,
  })
  registerSnapshotCounter(registry, {
    name: 'fedmsg_relay_messages_rejected_total',
    help: 'Messages dropped by the relay verifier, by reason code.',
    labelNames: ['reason'],
    read: () => samplesByReason(stats().rejected),
  })
  registerSnapshotCounter(registry, {
    name: 'fedmsg_relay_verify_errors_total',
    help: 'Messages lost with a verifier thread that died: neither forwarded nor acknowledged.',
    read: () => stats().verifyErrors,
  })
}
