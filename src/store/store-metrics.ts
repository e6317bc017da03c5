import type { Registry } from 'prom-client'
import { registerSnapshotCounter, registerSnapshotGauge } from '../metrics/snapshot-metrics.js'
import type { StoreStats } from './store-writer.js'

/** The writer's counts and the retention's. */
export interface StoreMetricStats extends StoreStats {
  readonly pruned: number
}

/**
 * Adds a store's series to `registry`, next to the hub's own (whose `fedmsg_hub_rejected_total` counts the
 * rejected messages, never stored, by reason); read from `stats()` at each scrape.
 *
 * @example
 * ```ts
 * registerStoreMetrics(registry, () => ({ ...writer.stats(), pruned: 0 }))
 * ```
 */
export function registerStoreMetrics(registry: Registry, stats: () => StoreMetricStats): void {
  const counter = (name: string, help: string, read: (s: StoreMetricStats) => number) =>
    registerSnapshotCounter(registry, { name, help, read: () => read(stats()) })
  const gauge = (name: string, help: string, read: (s: StoreMetricStats) => number) =>
    registerSnapshotGauge(registry, { name, help, read: () => read(stats()) })
  counter('fedmsg_store_stored_total', 'Messages written to the database.', (s) => s.stored)
  counter(
    'fedmsg_store_duplicates_total',
    'Messages whose msg_id was already stored (not stored again).',
    (s) => s.duplicates,
  )
  counter(
    'fedmsg_store_dropped_total',
    'Messages never written: the queue was at its bound or the store stopped with the database down.',
    (s) => s.dropped,
  )
  counter(
    'fedmsg_store_database_errors_total',
    'Failed attempts to reach the database or write a batch (each retried).',
    (s) => s.databaseErrors,
  )
  counter('fedmsg_store_pruned_total', 'Messages deleted by retention (--retain).', (s) => s.pruned)
  gauge('fedmsg_store_queue_depth', 'Messages waiting for the database.', (s) => s.queueDepth)
  gauge('fedmsg_store_queue_bytes', 'Envelope bytes waiting for the database.', (s) => s.queueBytes)
  gauge('fedmsg_store_database_up', '1 when the last database write worked.', (s) =>
    s.connected ? 1 : 0,
  )
}
