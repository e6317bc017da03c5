import type { Logger } from 'pino'
import type { FedmsgConfig } from '../config/config-types.js'
import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'
import type { GapRequest } from './gap-fill/fetch-stored.js'
import { SequenceTracker, type SequenceStats } from './sequence-tracker.js'

/**
 * A hub's view of its publishers' sequences: the {@link SequenceTracker}, its log lines (a gap, a restart, a
 * publisher gone silent, checked every heartbeat interval), and the gaps handed to `onGap` (gap fill).
 *
 * @example
 * ```ts
 * const sequence = new HubSequence({ config, logger, now: Date.now, startedAt, silentAfterMs }, () => undefined)
 * sequence.track(message, false)
 * ```
 */
export class HubSequence {
  readonly #tracker: SequenceTracker
  readonly #logger: Logger
  readonly #now: () => number
  readonly #onGap: (gap: GapRequest) => void
  readonly #silenceTimer: ReturnType<typeof setInterval>
  readonly #silentAfterMs: number

  constructor(
    options: {
      config: FedmsgConfig
      logger: Logger
      now: () => number
      startedAt: number
      silentAfterMs: number
    },
    onGap: (gap: GapRequest) => void,
  ) {
    const { config } = options
    this.#logger = options.logger
    this.#now = options.now
    this.#onGap = onGap
    this.#silentAfterMs = options.silentAfterMs
    this.#tracker = new SequenceTracker({
      silentAfterMs: options.silentAfterMs,
      // A session stamped as started after this (on a clock up to clock_skew_seconds off) began while the hub
      // was listening: a first message with i > 1 means its first messages were lost.
      startGapsAfter: options.startedAt + config.clock_skew_seconds * 1000,
    })
    this.#silenceTimer = setInterval(() => this.#reportSilence(), config.heartbeat_interval_ms)
    this.#silenceTimer.unref()
  }

  stats(): SequenceStats {
    return this.#tracker.stats()
  }

  close(): void {
    clearInterval(this.#silenceTimer)
  }

  track(message: VerifiedMessage, goodbye: boolean): void {
    const { key, seen } = this.#tracker.record(message, goodbye, this.#now())
    if (goodbye) this.#logger.debug({ ...key, i: message.i }, 'publisher closed')
    if (seen.type === 'gap') {
      this.#logger.warn(
        { ...key, i: message.i, missing: seen.missing },
        'messages missing from a publisher',
      )
      this.#onGap({ ...key, fromI: message.i - seen.missing, toI: message.i - 1 })
    } else if (seen.type === 'restart') {
      this.#logger.info(
        { ...key, i: message.i, previous: seen.previous },
        'publisher sequence restarted',
      )
    }
  }

  #reportSilence(): void {
    for (const key of this.#tracker.takeNewlySilent(this.#now())) {
      this.#logger.warn({ ...key, silentAfterMs: this.#silentAfterMs }, 'publisher silent')
    }
  }
}
