/**
 * Messages a `VerifierPool` has taken and not yet sent to a thread, as their frames (topic, envelope, topic,
 * ...), cut into batches of at most `batchSize` messages and about `maxBytes` bytes.
 *
 * @example
 * ```ts
 * const pending = new PendingFrames(64, 1_048_576)
 * pending.push(topicFrame, envelopeFrame)
 * if (pending.holdsFullBatch()) send(pending.takeBatch())
 * ```
 */
export class PendingFrames {
  readonly #batchSize: number
  readonly #maxBytes: number
  #frames: Uint8Array[] = []
  #bytes = 0

  constructor(batchSize: number, maxBytes: number) {
    this.#batchSize = batchSize
    this.#maxBytes = maxBytes
  }

  get isEmpty(): boolean {
    return this.#frames.length === 0
  }

  push(topicFrame: Uint8Array, envelopeFrame: Uint8Array): void {
    this.#frames.push(topicFrame, envelopeFrame)
    this.#bytes += topicFrame.byteLength + envelopeFrame.byteLength
  }

  /** A whole batch is waiting: by count, or by size. */
  holdsFullBatch(): boolean {
    return this.#frames.length >= 2 * this.#batchSize || this.#bytes >= this.#maxBytes
  }

  /** Removes and returns the oldest messages: at most a batch, and at least one message. */
  takeBatch(): Uint8Array[] {
    let end = Math.min(this.#frames.length, 2 * this.#batchSize)
    let bytes = 0
    for (let index = 0; index < end; index += 2) {
      bytes += this.#frames[index]!.byteLength + this.#frames[index + 1]!.byteLength
      if (bytes >= this.#maxBytes) end = index + 2
    }
    const batch = this.#frames.slice(0, end)
    this.#frames = this.#frames.slice(end)
    this.#bytes -= bytes
    return batch
  }
}
