import type { Registry } from 'prom-client'
import { registerSnapshotCounter, registerSnapshotGauge } from '../../metrics/snapshot-metrics.js'
import type { MemcachedStats } from './memcached-sink.js'

type Read = (s: MemcachedStats) => number

/**
 * Adds the memcached consumer's counters to `registry`, next to the hub's own (`fedmsg memcached
 * --metrics`, or `fedmsg hub` with a `memcached` section); read from `stats()` at each scrape.
 *
 * @example
 * ```ts
 * registerMemcachedMetrics(registry, () => sink.stats())
 * ```
 */
export function registerMemcachedMetrics(registry: Registry, stats: () => MemcachedStats): void {
  const counter = (name: string, help: string, read: Read) =>
    registerSnapshotCounter(registry, { name, help, read: () => read(stats()) })
  const gauge = (name: string, help: string, read: Read) =>
    registerSnapshotGauge(registry, { name, help, read: () => read(stats()) })
  counter('fedmsg_memcached_messages_stored_total', 'Messages added to a list.', (s) => s.stored)
  counter('fedmsg_memcached_writes_total', 'Lists written to memcached.', (s) => s.writes)
  counter(
    'fedmsg_memcached_write_failures_total',
    'Writes that failed (memcached down, slow or gone) and were retried.',
    (s) => s.failures,
  )
  counter(
    'fedmsg_memcached_refused_total',
    'Lists memcached refused to store (too large, out of memory).',
    (s) => s.refused,
  )
  gauge('fedmsg_memcached_pending_lists', 'Lists changed but not written yet.', (s) => s.pending)
  gauge('fedmsg_memcached_up', '1 while the last write succeeded.', (s) => (s.up ? 1 : 0))
}
