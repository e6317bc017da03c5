import type { Registry } from 'prom-client'
import { registerSnapshotCounter, registerSnapshotGauge } from '../metrics/snapshot-metrics.js'
import type { WsGatewayStats } from './ws-gateway.js'

/** What the gateway adds to the hub's metrics: its WebSocket clients and its public PUB. */
export interface GatewayStats extends WsGatewayStats {
  readonly publicForwarded: number
  readonly publicDropped: number
  /** Stored rows left out of history answers: they did not verify. */
  readonly historyRefused: number
}

/**
 * Adds the gateway's counters to `registry`, next to the hub's; read from `stats()` at each scrape.
 *
 * @example
 * ```ts
 * registerGatewayMetrics(registry, () => gateway.stats())
 * ```
 */
export function registerGatewayMetrics(registry: Registry, stats: () => GatewayStats): void {
  const counter = (name: string, help: string, read: (s: GatewayStats) => number) =>
    registerSnapshotCounter(registry, { name, help, read: () => read(stats()) })
  registerSnapshotGauge(registry, {
    name: 'fedmsg_gateway_ws_clients',
    help: 'WebSocket clients connected now.',
    read: () => stats().clients,
  })
  counter(
    'fedmsg_gateway_ws_frames_sent_total',
    'Frames sent to WebSocket clients.',
    (s) => s.delivered,
  )
  registerSnapshotCounter(registry, {
    name: 'fedmsg_gateway_ws_closed_total',
    help: 'WebSocket clients refused or closed by the gateway, by cause.',
    labelNames: ['cause'],
    read: () => {
      const s = stats()
      return [
        [{ cause: 'full' }, s.refusedFull],
        [{ cause: 'origin' }, s.refusedOrigin],
        [{ cause: 'token' }, s.refusedToken],
        [{ cause: 'slow' }, s.droppedSlow],
        [{ cause: 'bad_input' }, s.closedBadInput],
        [{ cause: 'rate' }, s.closedRate],
      ]
    },
  })
  counter(
    'fedmsg_gateway_history_store_failures_total',
    'History requests the store failed to answer (the in-memory ring answered).',
    (s) => s.historyStoreFailures,
  )
  counter(
    'fedmsg_gateway_history_refused_total',
    'Stored rows left out of history answers because they did not verify (changed in the database).',
    (s) => s.historyRefused,
  )
  counter(
    'fedmsg_gateway_public_forwarded_total',
    'Messages sent on the public PUB.',
    (s) => s.publicForwarded,
  )
  counter(
    'fedmsg_gateway_public_dropped_total',
    'Messages the public PUB dropped (queue full or HWM).',
    (s) => s.publicDropped,
  )
}
