import { performance } from 'node:perf_hooks'
import type { EnvelopeVerifier } from '../crypto/envelope/envelope-verifier.js'
import type { VerifyResult } from '../crypto/envelope/verified-message.js'

/**
 * Where a {@link MessageVerifier} delivers its verdicts: one call per submitted message, in submission order,
 * except for lost messages, which get none.
 */
export interface VerdictSink {
  /**
   * The verdict on one message, the time its checks took in ms, and the envelope frame it is for (the object
   * given to `submit`), so that a receiver holding messages can pair each verdict with its message even when
   * lost messages came between (the relay does).
   */
  onResult(result: VerifyResult, verifyMs: number, envelopeFrame: Uint8Array): void
  /**
   * `count` submitted messages will never get a verdict: the worker thread verifying them died, or the replay
   * journal could not record them (`cause`). They must not be acted on; later messages still get verdicts.
   */
  onLost(count: number, cause: unknown): void
}

/**
 * What a hub verifies with: an {@link EnvelopeVerifier} on the calling thread ({@link InlineVerifier}) or a pool
 * of worker threads (`VerifierPool`). Either way every check runs before a verdict is delivered, and verdicts
 * come out in the order the messages went in, so each publisher's order is kept.
 */
export interface MessageVerifier {
  /** Sets the sink verdicts go to; call it once, before the first `submit`. */
  deliverTo(sink: VerdictSink): void
  /**
   * Takes one message. Returns a promise when the verifier is full: submit nothing more until it resolves, so
   * that unverified messages wait in the socket (where the high-water mark bounds them), not in memory.
   */
  submit(topicFrame: Uint8Array, envelopeFrame: Uint8Array): Promise<void> | undefined
  /** Replaces the CRLs for every message submitted after it; throws `CrlInvalid` and keeps the old ones. */
  setCrls(crls: readonly (string | Uint8Array)[]): void
  /** Resolves once every submitted message has had its verdict (or loss) delivered. */
  drain(): Promise<void>
  /** Stops: verdicts still pending are not delivered. Worker threads are gone once it resolves. */
  close(): Promise<void>
}

/**
 * A {@link MessageVerifier} that verifies each message synchronously, inside `submit`, with one
 * `EnvelopeVerifier`.
 *
 * @example
 * ```ts
 * const inline = new InlineVerifier(new EnvelopeVerifier({ trustAnchors: [rootPem] }))
 * inline.deliverTo({ onResult: (result) => console.log(result.ok), onLost: () => undefined })
 * inline.submit(topicFrame, envelopeFrame)
 * ```
 */
export class InlineVerifier implements MessageVerifier {
  readonly #verifier: EnvelopeVerifier
  #sink: VerdictSink | undefined

  constructor(verifier: EnvelopeVerifier) {
    this.#verifier = verifier
  }

  deliverTo(sink: VerdictSink): void {
    this.#sink = sink
  }

  submit(topicFrame: Uint8Array, envelopeFrame: Uint8Array): undefined {
    if (this.#sink === undefined) throw new TypeError('call deliverTo() before submit()')
    const started = performance.now()
    let result: VerifyResult
    try {
      result = this.#verifier.verify(topicFrame, envelopeFrame)
    } catch (error) {
      // Its replay journal could not record an accepted message: it must not be acted on.
      this.#sink.onLost(1, error)
      return undefined
    }
    this.#sink.onResult(result, performance.now() - started, envelopeFrame)
    return undefined
  }

  setCrls(crls: readonly (string | Uint8Array)[]): void {
    this.#verifier.setCrls(crls)
  }

  drain(): Promise<void> {
    return Promise.resolve()
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
