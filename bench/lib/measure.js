// @ts-check
/**
 * How every benchmark measures: a warm-up, then rounds of a timed loop of fixed duration, each round giving
 * ops/s; a figure is the median of its rounds. A fedmsg figure and its baseline take turns in chunks of a
 * few ms within each round, so load from other processes on this shared machine hits both alike and their
 * ratio stays fair.
 */

/**
 * Something to measure. `run(count)` performs `count` operations and is the only timed part. A workload
 * that consumes a pool (pre-signed envelopes with distinct msg_ids) says how many operations are left with
 * `capacity` and gets `refill()` called, untimed, when they run out.
 *
 * @typedef {object} Workload
 * @property {(count: number) => void} run
 * @property {number} [capacity] operations available after each refill; default unlimited
 * @property {() => void} [refill] untimed; makes `capacity` operations available again
 */

/**
 * @typedef {object} Timing
 * @property {number} warmupMs untimed warm-up of each workload, so V8 has optimized it
 * @property {number} roundMs timed duration of one round
 * @property {number} rounds rounds per workload; the figure is their median
 */

/**
 * @typedef {object} Measured
 * @property {number} opsPerSec median of the rounds
 * @property {number[]} rounds ops/s of each round
 */

/** @type {Readonly<Record<'full' | 'quick', Timing>>} */
export const TIMINGS = Object.freeze({
  full: { warmupMs: 150, roundMs: 200, rounds: 5 },
  // Smoke mode for CI: proves every figure runs, in a few hundred ms per figure; its numbers are noisy.
  quick: { warmupMs: 30, roundMs: 50, rounds: 3 },
})

/** Target time of one timed chunk: long enough that reading the clock costs nothing measurable. */
const CHUNK_MS = 2

const nowMs = () => Number(process.hrtime.bigint()) / 1e6

/**
 * @param {readonly number[]} values
 * @returns {number}
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * One workload's state: operations left in its pool and the chunk size that takes about CHUNK_MS, learnt
 * while it runs.
 */
class Runner {
  /** @param {Workload} workload */
  constructor(workload) {
    this.workload = workload
    this.capacity = workload.capacity ?? Number.POSITIVE_INFINITY
    this.left = 0
    this.chunk = 1
  }

  /**
   * Runs one timed chunk (refilling first, untimed, when the pool is used up).
   *
   * @returns {{ ops: number, ms: number }}
   */
  step() {
    if (this.left === 0) {
      this.workload.refill?.()
      this.left = this.capacity
    }
    const count = Math.min(this.chunk, this.left)
    const start = nowMs()
    this.workload.run(count)
    const ms = nowMs() - start
    this.left -= count
    if (count === this.chunk && ms < CHUNK_MS) this.chunk *= 2
    return { ops: count, ms }
  }
}

/**
 * Runs `runners` chunk by chunk, in turn, until each has `durationMs` of timed work, and returns the ops/s of
 * each. Taking turns every few ms means a burst of load from elsewhere slows both sides alike.
 *
 * @param {Runner[]} runners
 * @param {number} durationMs
 */
function interleave(runners, durationMs) {
  const totals = runners.map(() => ({ ops: 0, ms: 0 }))
  while (totals.some((total) => total.ms < durationMs)) {
    runners.forEach((runner, index) => {
      const total = totals[index]
      if (total.ms >= durationMs) return
      const { ops, ms } = runner.step()
      total.ops += ops
      total.ms += ms
    })
  }
  return totals.map((total) => (total.ops * 1000) / total.ms)
}

/**
 * Measures a fedmsg workload and its baseline: a warm-up of both, then rounds in which the two take turns
 * every few ms. Each side's figure is the median of its rounds.
 *
 * @param {Workload} figure
 * @param {Workload} baseline
 * @param {Timing} timing
 * @returns {{ figure: Measured, baseline: Measured }}
 */
export function compare(figure, baseline, timing) {
  const runners = [new Runner(figure), new Runner(baseline)]
  interleave(runners, timing.warmupMs)
  /** @type {{ figure: number[], baseline: number[] }} */
  const rounds = { figure: [], baseline: [] }
  for (let round = 0; round < timing.rounds; round++) {
    const [figureOps, baselineOps] = interleave(runners, timing.roundMs)
    rounds.figure.push(figureOps)
    rounds.baseline.push(baselineOps)
  }
  return {
    figure: { opsPerSec: median(rounds.figure), rounds: rounds.figure },
    baseline: { opsPerSec: median(rounds.baseline), rounds: rounds.baseline },
  }
}

/**
 * A workload that cycles through `count` prepared items, calling `op(index)` for each.
 *
 * @param {number} count
 * @param {(index: number) => void} op
 * @param {() => void} [refill] when given, the pool is used once per refill (distinct msg_ids)
 * @returns {Workload}
 */
export function cycle(count, op, refill) {
  let index = 0
  return {
    run(n) {
      for (let k = 0; k < n; k++) {
        op(index)
        index = index + 1 === count ? 0 : index + 1
      }
    },
    ...(refill === undefined
      ? {}
      : {
          capacity: count,
          refill() {
            index = 0
            refill()
          },
        }),
  }
}
