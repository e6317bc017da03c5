import { Closed, CrlInvalid, VerifierUnavailable } from '../../errors.js'
import { CrlSet } from '../../crypto/revocation/crl-set.js'
import type { MessageVerifier, VerdictSink } from '../message-verifier.js'
import { PEM_LABEL } from '../../crypto/pem.js'
import { PendingFrames } from './pending-frames.js'
import type { ReplayAdmission } from '../../crypto/replay/replay-admission.js'
import { ReplayCache } from '../../crypto/replay/replay-cache.js'
import { verdictOf } from '../../crypto/envelope/verdict.js'
import { admitMessage, type VerifyResult } from '../../crypto/envelope/verified-message.js'
import { resolveVerifierOptions, toDerList } from '../../crypto/envelope/verifier-options.js'
import { POOL_DEFAULTS, workerSetupOf, type VerifierPoolOptions } from './verifier-pool-options.js'
import {
  buildWorkerVerifier,
  packBatch,
  rejectedOf,
  type AcceptedVerdict,
  type VerdictList,
  type WorkerSetup,
} from './verifier-pool-protocol.js'
import { VerifierThread } from './verifier-thread.js'

/** A thread that died before it was ready is replaced after this pause, not in a tight loop. */
const RESTART_PAUSE_MS = 1000

/** A batch from the moment it is sent until its verdicts are delivered, in submission order. */
interface Batch {
  readonly id: number
  readonly count: number
  readonly now: number
  /** The envelope frames, in order: each accepted message carries its own (`VerifiedMessage.envelope`). */
  readonly envelopes: readonly Uint8Array[]
  outcome?: VerdictList | 'lost'
}

/**
 * Verifies messages on worker threads, each running an `EnvelopeVerifier` built from the same options, so a
 * hub uses every core. Messages go to the threads in batches (one transferred buffer each); verdicts come back
 * in submission order, so each publisher's order is kept. The replay check, the last one, stays on this
 * thread with the one replay cache, in submission order: a msg_id seen twice is caught whichever threads
 * verified the two copies. Every check reads the clock the pool read when it sent the batch.
 *
 * A thread that dies is replaced; the messages it held are never delivered and are reported as lost.
 *
 * @example
 * ```ts
 * const pool = await VerifierPool.start({ trustAnchors: [rootPem], crls: [crlPem], workers: 2 })
 * pool.deliverTo({ onResult: (result) => console.log(result.ok), onLost: (n) => console.warn(n, 'lost') })
 * await pool.submit(topicFrame, envelopeFrame)
 * await pool.drain()
 * await pool.close()
 * ```
 */
export class VerifierPool implements MessageVerifier {
  #setup: WorkerSetup
  readonly #now: () => number
  readonly #replays: ReplayAdmission | undefined
  readonly #batchesPerWorker: number
  readonly #threads: (VerifierThread | undefined)[]
  readonly #restarts = new Set<NodeJS.Timeout>()
  readonly #sent: Batch[] = []
  readonly #pending: PendingFrames
  #flushScheduled = false
  #nextId = 1
  #sink: VerdictSink | undefined
  #room: { promise: Promise<void>; resolve: () => void } | undefined
  #idle: (() => void)[] = []
  #closed = false

  private constructor(options: VerifierPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new TypeError(`workers must be an integer >= 1, got ${options.workers}`)
    }
    const resolved = resolveVerifierOptions(options)
    this.#setup = workerSetupOf(options)
    // The verifier every thread will build, built once here: bad anchors, CRLs, policy or options throw now,
    // on the caller's thread, instead of killing threads.
    buildWorkerVerifier(this.#setup, resolved.now)
    this.#now = resolved.now
    const windowMs = resolved.replayWindowMs
    this.#replays =
      options.replayAdmission ?? (windowMs === null ? undefined : new ReplayCache(windowMs))
    this.#pending = new PendingFrames(
      options.batchSize ?? POOL_DEFAULTS.batchSize,
      POOL_DEFAULTS.maxBatchBytes,
    )
    this.#batchesPerWorker = options.batchesPerWorker ?? POOL_DEFAULTS.batchesPerWorker
    this.#threads = Array.from({ length: options.workers }, () => this.#spawn())
  }

  /**
   * Starts the threads and waits until each has built its verifier. Throws `CertInvalid`, `CrlInvalid`,
   * `ConfigInvalid` (routing policy) or `TypeError` for bad options, as `EnvelopeVerifier` does, and
   * `VerifierUnavailable` when a thread cannot start.
   */
  static async start(options: VerifierPoolOptions): Promise<VerifierPool> {
    const pool = new VerifierPool(options)
    try {
      await Promise.all(pool.#threads.map((thread) => thread?.started()))
    } catch (error) {
      await pool.close()
      throw new VerifierUnavailable(
        `a verifier worker thread did not start (${String(error)}): set verify_workers to 0 to verify on the main thread`,
        { cause: error },
      )
    }
    return pool
  }

  deliverTo(sink: VerdictSink): void {
    this.#sink = sink
  }

  submit(topicFrame: Uint8Array, envelopeFrame: Uint8Array): Promise<void> | undefined {
    if (this.#closed) throw new Closed('the verifier pool is closed')
    if (this.#sink === undefined) throw new TypeError('call deliverTo() before submit()')
    this.#pending.push(topicFrame, envelopeFrame)
    if (!this.#pending.holdsFullBatch()) {
      this.#scheduleFlush()
      return undefined
    }
    this.#pump()
    if (!this.#pending.holdsFullBatch()) return undefined
    this.#room ??= withResolvers()
    return this.#room.promise
  }

  setCrls(crls: readonly (string | Uint8Array)[]): void {
    const der = toDerList(crls, PEM_LABEL.crl, (m) => new CrlInvalid(m))
    // Parsed here first, with the code the threads use: a CRL they would refuse throws CrlInvalid to the
    // caller and the threads keep the old set.
    new CrlSet(der)
    this.#setup = { ...this.#setup, crls: der }
    for (const thread of this.#threads) thread?.setCrls(der)
  }

  drain(): Promise<void> {
    this.#pump()
    if (this.#isIdle()) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const timer of this.#restarts) clearTimeout(timer)
    this.#restarts.clear()
    const threads = this.#threads.splice(0)
    await Promise.all(threads.map((thread) => thread?.terminate()))
    this.#room?.resolve()
    for (const resolve of this.#idle.splice(0)) resolve()
  }

  #spawn(): VerifierThread {
    return new VerifierThread(this.#setup, {
      onVerdicts: (_thread, id, json) => this.#settle(id, JSON.parse(json) as VerdictList),
      onExit: (thread, cause) => this.#replace(thread, cause),
    })
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    setImmediate(() => {
      this.#flushScheduled = false
      this.#pump()
    })
  }

  /** Sends pending messages to threads with room, a batch at a time. */
  #pump(): void {
    while (!this.#pending.isEmpty && !this.#closed) {
      const thread = this.#leastBusy()
      if (thread === undefined) return
      const frames = this.#pending.takeBatch()
      const envelopes = frames.filter((_frame, index) => index % 2 === 1)
      const batch: Batch = {
        id: this.#nextId++,
        count: envelopes.length,
        now: this.#now(),
        envelopes,
      }
      this.#sent.push(batch)
      thread.post(packBatch(batch.id, batch.now, frames))
    }
    if (!this.#pending.holdsFullBatch() && this.#room !== undefined) {
      this.#room.resolve()
      this.#room = undefined
    }
  }

  /**
   * The thread with the fewest batches, if one has room. Verdicts wait here until every earlier batch has its
   * own, so the batches out at once are bounded for the pool as a whole too: a stalled thread holds the
   * others back instead of letting verdicts pile up behind it.
   */
  #leastBusy(): VerifierThread | undefined {
    if (this.#sent.length >= this.#threads.length * this.#batchesPerWorker) return undefined
    let best: VerifierThread | undefined
    for (const thread of this.#threads) {
      if (thread === undefined || thread.inFlight.size >= this.#batchesPerWorker) continue
      if (best === undefined || thread.inFlight.size < best.inFlight.size) best = thread
    }
    return best
  }

  #settle(id: number, verdicts: VerdictList): void {
    const batch = this.#sent.find((sent) => sent.id === id)
    if (batch === undefined || batch.outcome !== undefined) return
    batch.outcome = verdicts
    this.#release()
    this.#pump()
  }

  /** Delivers the verdicts of the oldest batches that have them; a batch still out holds back later ones. */
  #release(): void {
    const sink = this.#sink!
    while (this.#sent[0]?.outcome !== undefined) {
      const batch = this.#sent.shift()!
      if (batch.outcome === 'lost') continue
      this.#deliver(batch.outcome!, batch, sink)
    }
    if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve()
  }

  /**
   * One batch's verdicts, admitted and committed to the replay admission as one group (one journal write for
   * the batch), then delivered. If the commit fails, the batch's accepted messages are reported lost: they
   * must not be acted on, since a later run would not know they were.
   */
  #deliver({ signers, verdicts }: VerdictList, batch: Batch, sink: VerdictSink): void {
    const results = verdicts.map((verdict, index) =>
      verdict.ok
        ? this.#checkReplay(verdict, signers, batch.now, batch.envelopes[index]!)
        : rejectedOf(verdict),
    )
    let committed = true
    try {
      this.#replays?.commit()
    } catch (error) {
      committed = false
      sink.onLost(results.filter((result) => result.ok).length, error)
    }
    results.forEach((result, index) => {
      if (committed || !result.ok) {
        sink.onResult(result, verdicts[index]!.ms, batch.envelopes[index]!)
      }
    })
  }

  // Check 12, the last: on this thread, in submission order, so a copy verified by another thread is seen.
  #checkReplay(
    verdict: AcceptedVerdict,
    signers: VerdictList['signers'],
    now: number,
    envelopeFrame: Uint8Array,
  ): VerifyResult {
    const signer = Object.freeze(signers[verdict.signerRef]!)
    const { topic, body, msgId, timestamp, i, headers, alg } = verdict
    const fields = { topic, body, signer, msgId, timestamp, i, headers, alg }
    return verdictOf({ topic, signer: signer.name }, () =>
      admitMessage(fields, envelopeFrame, this.#replays, now),
    )
  }

  #replace(thread: VerifierThread, cause: unknown): void {
    if (this.#closed) return
    const index = this.#threads.indexOf(thread)
    if (index === -1) return
    let lost = 0
    for (const batch of this.#sent) {
      if (!thread.inFlight.has(batch.id)) continue
      batch.outcome = 'lost'
      lost += batch.count
    }
    this.#threads[index] = undefined
    const restart = () => {
      this.#threads[index] = this.#spawn()
      this.#pump()
    }
    if (thread.ready) restart()
    else {
      const timer = setTimeout(() => (this.#restarts.delete(timer), restart()), RESTART_PAUSE_MS)
      timer.unref()
      this.#restarts.add(timer)
    }
    this.#sink?.onLost(lost, cause)
    this.#release()
    this.#pump()
  }

  #isIdle(): boolean {
    return this.#sent.length === 0 && this.#pending.isEmpty
  }
}

function withResolvers(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}
