import type { ConsumerStats } from './consumer-runner.js'
import type { CrlWatcherStats } from '../verification/crl-watcher.js'
import type { LatencyHistogramSnapshot } from '../metrics/latency-histogram.js'
import type { RejectCounts } from '../verification/reject-counts.js'
import type { SequenceStats } from './sequence-tracker.js'
import type { GapFillStats } from './gap-fill/fill-verdicts.js'

/** Everything a hub counts, for logs and the metrics endpoint. */
export interface HubStats {
  /**
   * Messages read off the socket (any frame count) and judged: counted with their verdict, so that it is always
   * `verified` + the `rejected` counts + `verifyErrors`.
   */
  readonly received: number
  /** Messages that passed every check, schema included. */
  readonly verified: number
  readonly rejected: Readonly<RejectCounts>
  /** Deliveries into consumer queues (one message to two consumers counts two). */
  readonly dispatched: number
  /** Verified heartbeats. */
  readonly heartbeats: number
  /** Connections to publishers that dropped (a peer that sent a frame over max_message_bytes is one). */
  readonly disconnects: number
  /**
   * Messages received but never verified because the worker thread verifying them died (it is replaced).
   * None of them reached a consumer.
   */
  readonly verifyErrors: number
  readonly consumers: Readonly<Record<string, ConsumerStats>>
  /** Gaps, restarts and silent publishers, from the sequence numbers of verified messages. */
  readonly sequence: SequenceStats
  readonly crl: CrlWatcherStats
  readonly verifyLatency: LatencyHistogramSnapshot
  /** Gap fill from a store, when `gap_fill` is configured; its messages are not in the counts above. */
  readonly gapFill?: GapFillStats
}
