import type { Registry } from 'prom-client'
import { registerSnapshotCounter, registerSnapshotGauge } from '../../metrics/snapshot-metrics.js'
import type { IrcBotStats } from './irc-bot.js'

/**
 * Adds the IRC bot's counters to `registry`, next to the hub's own on `fedmsg irc --metrics`; read from
 * `stats()` at each scrape.
 *
 * @example
 * ```ts
 * registerIrcMetrics(registry, () => bot.stats())
 * ```
 */
export function registerIrcMetrics(registry: Registry, stats: () => IrcBotStats): void {
  const counter = (name: string, help: string, read: (s: IrcBotStats) => number) =>
    registerSnapshotCounter(registry, { name, help, read: () => read(stats()) })
  const gauge = (name: string, help: string, read: (s: IrcBotStats) => number) =>
    registerSnapshotGauge(registry, { name, help, read: () => read(stats()) })
  counter('fedmsg_irc_lines_sent_total', 'Lines sent to the IRC server.', (s) => s.sent)
  counter(
    'fedmsg_irc_lines_dropped_total',
    'Lines dropped: the flood queue was full or the bot stopped.',
    (s) => s.dropped,
  )
  counter('fedmsg_irc_reconnects_total', 'Connections lost and retried.', (s) => s.reconnects)
  counter(
    'fedmsg_irc_nick_collisions_total',
    'Times the nick was in use and another was tried.',
    (s) => s.nickCollisions,
  )
  gauge('fedmsg_irc_connected', '1 while registered with the server.', (s) => Number(s.connected))
  gauge('fedmsg_irc_queue_depth', 'Lines waiting for the flood gate now.', (s) => s.queueDepth)
}
