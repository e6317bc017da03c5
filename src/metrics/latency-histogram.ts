/** Upper bounds (ms) of the verify-latency buckets: from a cached-chain Ed25519 check to a cold RSA chain. */
export const LATENCY_BUCKETS_MS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250] as const

/** A cumulative histogram in the Prometheus shape: `counts[k]` observations were <= `bucketsMs[k]`. */
export interface LatencyHistogramSnapshot {
  readonly bucketsMs: readonly number[]
  /** Cumulative counts, one per bucket; observations above the last bucket are only in `count`. */
  readonly counts: readonly number[]
  readonly count: number
  readonly sumMs: number
}

/**
 * Counts durations into fixed buckets, for the metrics endpoint.
 *
 * @example
 * ```ts
 * const h = new LatencyHistogram()
 * h.observe(0.8)
 * h.snapshot().counts // [0, 0, 0, 1, 1, …]
 * ```
 */
export class LatencyHistogram {
  readonly #perBucket: number[] = LATENCY_BUCKETS_MS.map(() => 0)
  #count = 0
  #sumMs = 0

  observe(ms: number): void {
    this.#count += 1
    this.#sumMs += ms
    const index = LATENCY_BUCKETS_MS.findIndex((bound) => ms <= bound)
    if (index !== -1) this.#perBucket[index]! += 1
  }

  snapshot(): LatencyHistogramSnapshot {
    let running = 0
    const counts = this.#perBucket.map((n) => (running += n))
    return { bucketsMs: [...LATENCY_BUCKETS_MS], counts, count: this.#count, sumMs: this.#sumMs }
  }
}
