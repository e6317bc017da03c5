import type { Registry } from 'prom-client'
import {
  registerSnapshotCounter,
  registerSnapshotGauge,
  type Labels,
} from '../../metrics/snapshot-metrics.js'
import type { WebhookTargetStats } from './webhook-target.js'

type Read = (s: WebhookTargetStats) => number

/**
 * Adds each target's counters (label `url`) to `registry`, next to the hub's own on `fedmsg webhook
 * --metrics`; read from `stats()` at each scrape.
 *
 * @example
 * ```ts
 * registerWebhookMetrics(registry, () => sink.stats())
 * ```
 */
export function registerWebhookMetrics(
  registry: Registry,
  stats: () => readonly WebhookTargetStats[],
): void {
  const series = (s: Read) => () => stats().map((t): [Labels, number] => [{ url: t.url }, s(t)])
  const counter = (name: string, help: string, read: Read) =>
    registerSnapshotCounter(registry, { name, help, labelNames: ['url'], read: series(read) })
  const gauge = (name: string, help: string, read: Read) =>
    registerSnapshotGauge(registry, { name, help, labelNames: ['url'], read: series(read) })
  counter(
    'fedmsg_webhook_delivered_total',
    'Messages the target accepted (2xx).',
    (s) => s.delivered,
  )
  counter('fedmsg_webhook_retries_total', 'Failed POSTs that were retried.', (s) => s.retries)
  counter(
    'fedmsg_webhook_dead_lettered_total',
    'Messages given up on: retries spent, or refused with a 4xx.',
    (s) => s.deadLettered,
  )
  counter(
    'fedmsg_webhook_dropped_total',
    'Messages never tried: the queue was full or the webhook stopped.',
    (s) => s.dropped,
  )
  gauge('fedmsg_webhook_in_flight', 'POSTs in flight now.', (s) => s.inFlight)
  gauge('fedmsg_webhook_queue_depth', 'Messages waiting for a slot now.', (s) => s.queueDepth)
}
