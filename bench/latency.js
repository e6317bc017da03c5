// @ts-check
/**
 * latency: publish-to-dispatch time, from the call of `publish()` in a publisher process (signing included)
 * to the call of a consumer's `consume()` in a hub in this process (verification and the consumer queue
 * included), at a fixed 1,000 messages/s and at half of the hub's capacity, which is measured first in the
 * same run: the hub's verified rate while the publisher publishes as fast as it can. Baseline: the same
 * publisher process sending frames of the envelope's size through a bare ZeroMQ PUB to a bare SUB in this
 * process, at the same rate, plus one bare `crypto.verify` of the same envelopes (timed in this process just
 * before the rounds of each rate). Figures p50, p99 and max of all measured messages; rounds alternate the two.
 * Goals (issue 18), at 1,000/s: p50 <= 2x and p99 <= 3x that baseline.
 */
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { Subscriber } from 'zeromq'
import { createHub, DEFAULT_CONFIG } from '../dist/index.js'
import { startChild } from './lib/child-process.js'
import { bareVerifier, consumerVerifier, signPool } from './lib/envelopes.js'
import { median } from './lib/measure.js'
import { hubCapacity, latencyRounds, percentileRows } from './lib/latency-rounds.js'
import { PAYLOADS } from './lib/payloads.js'
import { pkiFor } from './lib/pki.js'
import { signerMaterial } from './lib/signer-material.js'
import { bareStamp, measuredStamp, sharedNow } from './lib/shared-clock.js'

/** Per round: unmeasured warm-up, then the measured part, per rate. */
const ROUND = {
  full: { warmupMs: 100, fixedMs: 600, halfMs: 400 },
  quick: { warmupMs: 30, fixedMs: 150, halfMs: 100 },
}
const FIXED_RATE = 1000
const GOALS_AT_FIXED_RATE = { p50: 2, p99: 3 }
/** Envelopes and passes of the bare verify timed before each rate. */
const BARE_VERIFY = { messages: 256, passes: 7 }

/** @type {import('./lib/row.js').Benchmark} */
export default {
  name: 'latency',
  async run(context) {
    const pki = await pkiFor('ES256')
    const payload = PAYLOADS.find((p) => p.name === '1 KB')
    if (payload === undefined) throw new Error('no 1 KB payload')
    const round = context.quick ? ROUND.quick : ROUND.full
    /** @type {{ fedmsg: number[], bare: number[] }} latencies in ms of the current round */
    const samples = { fedmsg: [], bare: [] }
    const publisher = await startChild(new URL('./lib/paced-publisher-process.js', import.meta.url))
    /** @type {import('../dist/index.js').Hub | undefined} */
    let hub
    const bare = new Subscriber({ linger: 0 })
    try {
      const ends = await publisher.request('start', {
        ...signerMaterial(pki.leaf, payload),
        msg: payload.msg,
        suffix: 'update.request.testing',
      })
      hub = await createHub({
        config: { ...DEFAULT_CONFIG, linger_ms: 0, heartbeat_interval_ms: 3_600_000 },
        verifier: consumerVerifier(pki),
        connect: [ends.fedmsg],
        consumers: [
          {
            name: 'latency',
            topic: `${DEFAULT_CONFIG.topic_prefix}.>`,
            consume(message) {
              const sentAt = measuredStamp(message.body)
              if (sentAt !== undefined) samples.fedmsg.push(sharedNow() - sentAt)
            },
          },
        ],
      })
      bare.subscribe()
      bare.connect(ends.bare)
      void (async () => {
        for await (const [, frame] of bare) {
          const sentAt = frame === undefined ? undefined : bareStamp(frame)
          if (sentAt !== undefined) samples.bare.push(sharedNow() - sentAt)
        }
      })()
      const running = hub
      const capacity = await hubCapacity(publisher, () => running.stats().verified, context.quick)
      const rates = [
        {
          rate: FIXED_RATE,
          ms: round.fixedMs,
          note: `at ${FIXED_RATE.toLocaleString('en-US')}/s`,
          goals: GOALS_AT_FIXED_RATE,
        },
        {
          rate: capacity / 2,
          ms: round.halfMs,
          note: `at ${Math.round(capacity / 2).toLocaleString('en-US')}/s, 50% of capacity`,
        },
      ]
      const verifyUs = bareVerifyTime(pki, payload)
      for (const { rate, ms, note, goals } of rates) {
        const what = { note, verifyUs: verifyUs(), ...(goals === undefined ? {} : { goals }) }
        const rounds = await latencyRounds(context.timing.rounds, async (target) => {
          samples[target] = []
          const { measured } = await publisher.request('run', {
            target,
            rate,
            warmupMs: round.warmupMs,
            ms,
          })
          await settled(samples, target, measured)
          return samples[target]
        })
        for (const row of percentileRows(rounds, payload.name, what)) context.report(row)
      }
    } finally {
      bare.close()
      await hub?.close()
      await publisher.close()
    }
  },
}

/**
 * Waits until `target` has received the `measured` messages sent, or nothing more arrived for 200 ms (a PUB
 * drops messages it cannot queue, and those never come).
 *
 * @param {{ fedmsg: number[], bare: number[] }} samples
 * @param {'fedmsg' | 'bare'} target
 * @param {number} measured
 */
async function settled(samples, target, measured) {
  for (let last = -1, quietMs = 0; samples[target].length < measured && quietMs < 200;) {
    await sleep(10)
    quietMs = samples[target].length === last ? quietMs + 10 : 0
    last = samples[target].length
  }
}

/**
 * A timer of one bare `crypto.verify` of the benchmark's envelopes: each call times `passes` passes over them
 * and returns the median pass's µs per verify.
 *
 * @param {import('./lib/pki.js').Pki} pki
 * @param {import('./lib/payloads.js').Payload} payload
 * @returns {() => number}
 */
function bareVerifyTime(pki, payload) {
  const messages = signPool([pki.leaf], payload, BARE_VERIFY.messages)
  const verify = bareVerifier('ES256')
  return () => {
    const passes = Array.from({ length: BARE_VERIFY.passes }, () => {
      const started = performance.now()
      for (const message of messages) verify(message)
      return ((performance.now() - started) * 1000) / messages.length
    })
    return median(passes)
  }
}
