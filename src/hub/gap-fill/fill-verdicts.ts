import type { Logger } from 'pino'
import type {
  Rejected,
  VerifiedMessage,
  VerifyResult,
} from '../../crypto/envelope/verified-message.js'
import type { FillScope } from './fetch-stored.js'

/** What a hub's gap fill counted, for its stats and /metrics. */
export interface GapFillStats {
  /** Requests to the store: one per gap, one catch-up at start. */
  readonly requests: number
  /** Requests that failed (store down, timeout, bad answer): those messages stay missing. */
  readonly failures: number
  /** Gaps not asked for because `max_pending` requests were already waiting. */
  readonly skipped: number
  /** Envelopes the store returned and the hub verified. */
  readonly fetched: number
  /** Verified, requested, and dispatched. */
  readonly filled: number
  /** Refused as `replay`: the hub had already accepted them (catch-up, or a late live copy). Not dispatched. */
  readonly alreadySeen: number
  /** Refused by a check (any other reason, schema included): logged like a rejected live message. */
  readonly rejected: number
  /** Genuine, but not what was asked for (another signer, session or range). Not dispatched. */
  readonly unrequested: number
}

type Outcome = Exclude<keyof GapFillStats, 'requests' | 'failures' | 'skipped' | 'fetched'>

/**
 * Tells the hub which verdicts belong to gap-fill envelopes and judges those. Verdicts come out in the order
 * messages were submitted (MessageVerifier), so counting submissions is enough: each fill submission records
 * its position, and the verdict at that position is the fill's. A pool reports lost messages (a dead thread,
 * a journal that cannot be written) when it knows, not at their positions, so after a loss the verdicts then
 * in flight may be attributed to the wrong path; nothing else depends on it: both paths dispatch only verified
 * messages, and the replay journal keeps each msg_id to one dispatch.
 */
export class FillVerdicts {
  readonly #log: Logger
  readonly #marks: { index: number; scope: FillScope }[] = []
  #submitted = 0
  #delivered = 0
  readonly counts: Record<Outcome | 'fetched', number> = {
    fetched: 0,
    filled: 0,
    alreadySeen: 0,
    rejected: 0,
    unrequested: 0,
  }

  constructor(log: Logger) {
    this.#log = log
  }

  /** Before a live message is submitted. */
  noteLive(): void {
    this.#submitted += 1
  }

  /** Before a fill envelope is submitted. */
  noteFill(scope: FillScope): void {
    this.#marks.push({ index: this.#submitted, scope })
    this.#submitted += 1
    this.counts.fetched += 1
  }

  /** For each verdict, in order: the scope when it is a fill's, else undefined. */
  next(): FillScope | undefined {
    return this.#take(1)
  }

  /** `count` submissions will get no verdict (a verifier thread died). */
  lost(count: number): void {
    this.#take(count)
  }

  /**
   * The fill's verdict judged: the message to dispatch, a rejection for the hub's rejection log, or undefined
   * (nothing to do). Counted either way. `schemaFault` is the hub's schema check (its `schema_invalid`).
   */
  judge(
    scope: FillScope,
    result: VerifyResult,
    schemaFault: (message: VerifiedMessage) => Rejected | undefined,
  ): VerifiedMessage | Rejected | undefined {
    if (!result.ok) {
      // Already accepted by this hub (or an earlier run): the journal is what keeps each msg_id to one dispatch.
      if (result.reason === 'replay') return this.#count('alreadySeen', undefined)
      return this.#count('rejected', result)
    }
    const message = result.message
    if (!requested(scope, message)) {
      this.#log.warn(
        { topic: message.topic, signer: message.signer.name, i: message.i },
        'gap fill: the store returned a message that was not asked for: not dispatched',
      )
      return this.#count('unrequested', undefined)
    }
    const fault = schemaFault(message)
    if (fault !== undefined) return this.#count('rejected', fault)
    return this.#count('filled', message)
  }

  #count<T>(outcome: Outcome, answer: T): T {
    this.counts[outcome] += 1
    return answer
  }

  #take(count: number): FillScope | undefined {
    const from = this.#delivered
    this.#delivered += count
    let found: FillScope | undefined
    while (this.#marks.length > 0 && this.#marks[0]!.index < this.#delivered) {
      const mark = this.#marks.shift()!
      if (count === 1 && mark.index === from) found = mark.scope
    }
    return found
  }
}

function requested(scope: FillScope, message: VerifiedMessage): boolean {
  if (!('signer' in scope)) return true
  return (
    message.signer.name === scope.signer &&
    message.headers['session'] === scope.session &&
    message.i >= scope.fromI &&
    message.i <= scope.toI
  )
}
