// @ts-check
/**
 * What a benchmark produces: rows of one table, each a fedmsg figure, the baseline it is read against and
 * their ratio (figure / baseline, both measured in the same run).
 */

/**
 * @typedef {object} Row
 * @property {string} figure what fedmsg does, e.g. "verify warm"
 * @property {string} alg
 * @property {string} payload body size class, or a chain description for wire rows
 * @property {'ops/s' | 'B' | 'µs' | 'MB'} unit MB = 2^20 bytes
 * @property {number} value the fedmsg figure
 * @property {string} baselineName what the baseline is, e.g. "crypto.verify"
 * @property {number} baseline
 * @property {number} ratio value / baseline
 * @property {number} [goal] the ratio the issue asks for, when it asks for one
 * @property {number} [ceiling] the highest ratio the issue allows, for figures that must stay low (memory)
 * @property {string} [note]
 * @property {number[]} [rounds] the figure of each round (ops/s; µs for latency rows)
 * @property {number[]} [baselineRounds] the baseline of each round
 */

/**
 * @typedef {object} Context
 * @property {import('./measure.js').Timing} timing
 * @property {boolean} quick smoke mode: smaller pools as well as shorter rounds
 * @property {number} [messages] --messages: how many messages the memory figures send (default theirs)
 * @property {number} [storeRows] --rows: how many rows the store query figures generate (default theirs)
 * @property {(row: Row) => void} report prints the row and keeps it for --json
 * @property {readonly Row[]} rows the rows reported so far in this run (the peer rows reuse the e2e figure)
 */

/**
 * @typedef {object} Benchmark
 * @property {string} name what --only selects
 * @property {(context: Context) => Promise<void>} run
 */

/**
 * A throughput row from a measured comparison.
 *
 * @param {{ figure: string, alg: string, payload: string, baselineName: string, goal?: number, note?: string }} what
 * @param {{ figure: import('./measure.js').Measured, baseline: import('./measure.js').Measured }} measured
 * @returns {Row}
 */
export function rowOf(what, measured) {
  return {
    ...what,
    unit: 'ops/s',
    value: measured.figure.opsPerSec,
    baseline: measured.baseline.opsPerSec,
    ratio: measured.figure.opsPerSec / measured.baseline.opsPerSec,
    rounds: measured.figure.rounds,
    baselineRounds: measured.baseline.rounds,
  }
}
