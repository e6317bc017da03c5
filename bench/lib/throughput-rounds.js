// @ts-check
/**
 * Rounds of a multi-process throughput figure and its baselines: in each round the figure, then each
 * baseline, over the same window, so that load from elsewhere on this shared machine hits all alike; each
 * side's figure is the median of its rounds (as lib/measure.js does within one process).
 *
 * Each round also reads the CPU time the forwarding process used per message forwarded. Far-side rates move
 * with whatever else this machine runs (three processes share two cores); CPU time per message moves much less,
 * so it is the steadier comparison of how much work a relay adds.
 */
import { performance } from 'node:perf_hooks'
import { mustAccept } from './envelopes.js'
import { farSideRate, primed } from './far-side.js'
import { median } from './measure.js'

/**
 * A path through the bus: the traffic process's target that feeds it and the far side's counter.
 *
 * @typedef {object} Side
 * @property {import('./child-process.js').ChildHandle} traffic
 * @property {string} name the traffic process's target
 * @property {import('./far-side.js').Counter} counter
 * @property {() => Promise<number>} cpu CPU time used so far by the process that forwards, in µs
 */

/**
 * @typedef {object} Round
 * @property {number} perSecond messages per second
 * @property {number} cpuPerMessage CPU µs of the forwarding (or verifying) process per message
 */

/** @typedef {import('./measure.js').Measured & { cpuPerMessage: number }} MeasuredPath */

/**
 * @param {number} rounds
 * @param {readonly (() => Promise<Round>)[]} sides one round of each side: the figure first, then its baselines
 * @returns {Promise<MeasuredPath[]>}
 */
export async function alternate(rounds, sides) {
  const seen = sides.map(() => /** @type {Round[]} */ ([]))
  for (let round = 0; round < rounds; round++) {
    for (const [index, side] of sides.entries()) seen[index].push(await side())
  }
  return seen.map((perRound) => {
    const rates = perRound.map((r) => r.perSecond)
    const cpu = median(perRound.map((r) => r.cpuPerMessage))
    return { opsPerSec: median(rates), rounds: rates, cpuPerMessage: cpu }
  })
}

/**
 * The far side's rate while the traffic process sends pool messages into `side` as fast as it can.
 *
 * @param {Side} side
 * @param {boolean} cycle replay the pool from its start when used up (plain relays only)
 * @param {{ warmupMs: number, windowMs: number }} window
 * @returns {Promise<Round>}
 */
export async function throughput(side, cycle, window) {
  const before = { cpu: await side.cpu(), count: side.counter.count() }
  const { perSecond, sent } = await farSideRate(
    side.counter,
    (ms) => side.traffic.request('run', { name: side.name, source: 'pool', cycle, ms }),
    window,
  )
  if (sent.exhausted) throw new Error(`the pool of distinct envelopes ran out on ${side.name}`)
  const forwarded = side.counter.count() - before.count
  return { perSecond, cpuPerMessage: ((await side.cpu()) - before.cpu) / forwarded }
}

/** CPU time this process has used, in µs. */
function cpuOfThisProcess() {
  const { user, system } = process.cpuUsage()
  return user + system
}

/**
 * Short bursts into `side` until its far side receives (subscriptions have arrived).
 *
 * @param {Side} side
 * @param {boolean} cycle
 */
export function prime(side, cycle) {
  return primed(side.counter, () =>
    side.traffic.request('run', { name: side.name, source: 'pool', cycle, ms: 20 }),
  )
}

/**
 * One round of `EnvelopeVerifier.verify` alone on `messages` for `windowMs`, in this process. The verifier is
 * kept warm from round to round; a fresh one takes over whenever the messages are used up (each msg_id is
 * accepted once).
 *
 * @param {readonly (readonly [Buffer, Buffer])[]} messages
 * @param {() => import('../../dist/index.js').EnvelopeVerifier} newVerifier
 * @param {number} windowMs
 * @returns {() => Promise<Round>}
 */
export function verifyRate(messages, newVerifier, windowMs) {
  let verifier = newVerifier()
  let index = 0
  return async () => {
    let done = 0
    const cpu = cpuOfThisProcess()
    const started = performance.now()
    let elapsed = 0
    while (elapsed < windowMs) {
      for (let k = 0; k < 64; k++) {
        if (index === messages.length) {
          verifier = newVerifier()
          index = 0
        }
        const [topic, envelope] = messages[index]
        mustAccept(verifier.verify(topic, envelope))
        index += 1
      }
      done += 64
      elapsed = performance.now() - started
    }
    return { perSecond: (done * 1000) / elapsed, cpuPerMessage: (cpuOfThisProcess() - cpu) / done }
  }
}
