// @ts-check
/**
 * Rounds of the latency figures: each round sends at one rate through fedmsg, then through bare ZeroMQ, and
 * keeps every measured message's latency. p50 and p99 are the median of the rounds' own p50 and p99 (as
 * throughput figures are the median of their rounds), so that one round disturbed by another process on this
 * shared machine does not decide the figure; max is the highest latency of all rounds. The `rounds` column is
 * the spread of the per-round ratios.
 */
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { median } from './measure.js'

/** @typedef {'fedmsg' | 'bare'} Target */

/** Capacity: unmeasured warm-up, then the window whose verified messages are counted. */
const CAPACITY = {
  full: { warmupMs: 300, windowMs: 1000 },
  quick: { warmupMs: 100, windowMs: 300 },
}

/**
 * The hub's verified messages per second while the publisher publishes as fast as it can (its PUB drops what
 * the hub cannot take). Waits for the hub to work off its queue before returning.
 *
 * @param {import('./child-process.js').ChildHandle} publisher
 * @param {() => number} verified the hub's verified count
 * @param {boolean} quick
 */
export async function hubCapacity(publisher, verified, quick) {
  const { warmupMs, windowMs } = quick ? CAPACITY.quick : CAPACITY.full
  const sending = publisher.request('run', {
    target: 'fedmsg',
    warmupMs: warmupMs + windowMs + 50,
    ms: 0,
  })
  await sleep(warmupMs)
  const before = { count: verified(), at: performance.now() }
  await sleep(windowMs)
  const after = { count: verified(), at: performance.now() }
  await sending
  for (let last = -1; last !== verified();) {
    last = verified()
    await sleep(50)
  }
  const perSecond = ((after.count - before.count) * 1000) / (after.at - before.at)
  if (!(perSecond > 0)) throw new Error('the hub verified nothing while the publisher published')
  return perSecond
}

/**
 * @param {number} rounds
 * @param {(target: Target) => Promise<number[]>} runOne one round on `target`; its latencies in ms
 * @returns {Promise<Record<Target, number[][]>>}
 */
export async function latencyRounds(rounds, runOne) {
  /** @type {Record<Target, number[][]>} */
  const seen = { fedmsg: [], bare: [] }
  for (let round = 0; round < rounds; round++) {
    for (const target of /** @type {const} */ (['fedmsg', 'bare'])) {
      const latencies = await runOne(target)
      if (latencies.length === 0) throw new Error(`no ${target} message arrived in a latency round`)
      seen[target].push(latencies)
    }
  }
  return seen
}

/**
 * Nearest-rank percentile (`fraction` 1 = the maximum).
 *
 * @param {readonly number[]} values
 * @param {number} fraction
 */
function percentile(values, fraction) {
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]
}

/**
 * The p50, p99 and max rows, in µs, fedmsg against bare ZeroMQ plus one bare `crypto.verify`: what a message
 * cannot avoid on its way, the bus and checking its signature once. `goals` gives a row its goal (issue 18:
 * p50 <= 2x, p99 <= 3x at 1,000/s).
 *
 * @param {Record<Target, number[][]>} rounds
 * @param {string} payload
 * @param {{ note: string, verifyUs: number, goals?: Partial<Record<'p50' | 'p99', number>> }} what
 *   `note`: the rate; `verifyUs`: one bare `crypto.verify` of the same envelopes, µs
 * @returns {import('./row.js').Row[]}
 */
export function percentileRows(rounds, payload, { note, verifyUs, goals = {} }) {
  const messages = rounds.fedmsg.reduce((sum, latencies) => sum + latencies.length, 0)
  const count = `${messages.toLocaleString('en-US')} messages`
  return /** @type {const} */ ([
    ['p50', 0.5],
    ['p99', 0.99],
    ['max', 1],
  ]).map(([name, fraction]) => {
    /** @param {number[][]} perRound @param {number} [plus] @returns {number[]} µs */
    const ofRounds = (perRound, plus = 0) =>
      perRound.map((latencies) => percentile(latencies, fraction) * 1000 + plus)
    /** @param {number[]} values */
    const summary = (values) => (fraction === 1 ? Math.max(...values) : median(values))
    const value = summary(ofRounds(rounds.fedmsg))
    const baseline = summary(ofRounds(rounds.bare, verifyUs))
    const goal = name === 'max' ? undefined : goals[name]
    return {
      figure: `latency ${name}`,
      alg: 'ES256',
      payload,
      unit: /** @type {const} */ ('µs'),
      value,
      baselineName: 'PUB/SUB+verify',
      baseline,
      ratio: value / baseline,
      ...(goal === undefined ? {} : { ceiling: goal }),
      note: `${note}; ${count}; bare verify ${Math.round(verifyUs)} µs`,
      rounds: ofRounds(rounds.fedmsg),
      baselineRounds: ofRounds(rounds.bare, verifyUs),
    }
  })
}
