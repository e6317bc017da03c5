// @ts-check
/**
 * relay: messages per second through a relay, counted at the far side (a SUB in this process), while a traffic
 * process replays pre-signed 1 KB ES256 envelopes into it as fast as it takes them. The relays run in a third
 * process with the bare baselines beside them (lib/relay-host-process.js). Figures:
 * - plain relay (`verifier: null`, the code path of `fedmsg relay --no-verify`) on its inbound (DEALER →
 *   ROUTER, each message acknowledged) against a bare ROUTER → PUB loop, and on its upstream (SUB → PUB)
 *   against a bare SUB → PUB loop and against libzmq's native `zmq_proxy`. Goal: >= 0.9 of the bare loops.
 * - verifying relay (built from a configuration, verifying on its worker threads as `fedmsg relay` does) on its
 *   inbound against `EnvelopeVerifier.verify` alone, in this process, on the same envelopes. Goal: >= 1.3x on
 *   two cores. The inbound is the input that carries a relay's traffic: publishers that cannot bind (web
 *   applications with many worker processes, cron jobs, CLIs) send through it; upstream only chains relays.
 * Each round measures the figure, then its baseline, over the same window; a side's figure is the median.
 */
import { consumerVerifier, signPool } from './lib/envelopes.js'
import { countingSubscriber } from './lib/far-side.js'
import { PAYLOADS } from './lib/payloads.js'
import { pkiFor } from './lib/pki.js'
import { writePoolFile } from './lib/pool-file.js'
import { startChild } from './lib/child-process.js'
import { alternate, prime, throughput, verifyRate } from './lib/throughput-rounds.js'
import { rowOf } from './lib/row.js'

/**
 * ZMQ_SNDHWM/ZMQ_RCVHWM of every socket in the path, fedmsg's and the baselines'. Lower than the default
 * 10,000 so that the backlog a round leaves behind (up to one HWM per queue) drains in a moment and does not
 * use up the distinct envelopes the verifying relay needs.
 */
const HWM = 200
/**
 * Distinct envelopes: enough for the verifying relay's rounds (each msg_id is accepted once), whose traffic
 * runs warm-up + window + 50 ms and leaves up to ~2,000 messages in socket buffers each time.
 */
const POOL = { full: 48_000, quick: 14_000 }
/** Per measurement: traffic runs warmupMs before the far side's count starts, then windowMs counted. */
const WINDOW = { full: { warmupMs: 50, windowMs: 300 }, quick: { warmupMs: 20, windowMs: 100 } }
const GOAL = 0.9
/** The verifying relay against the verifier alone (issue 18 item 4): its worker threads use both cores. */
const VERIFY_GOAL = 1.3
/** ZMQ_RCVHWM of the far side, which is not under test: deep, so that it drops nothing. */
const FAR_SIDE_HWM = 10_000

/** @typedef {import('./lib/throughput-rounds.js').Side} Side */
/** @typedef {import('./lib/throughput-rounds.js').MeasuredPath} MeasuredPath */

/**
 * CPU time per message of the forwarding process (figure vs baseline), steadier than the rates.
 *
 * @param {MeasuredPath} figure
 * @param {MeasuredPath} baseline
 */
const cpuNote = (figure, baseline) =>
  `CPU/msg ${figure.cpuPerMessage.toFixed(1)} vs ${baseline.cpuPerMessage.toFixed(1)} µs`
/** @typedef {{ close(): unknown }} Closable */

/** @type {import('./lib/row.js').Benchmark} */
export default {
  name: 'relay',
  async run(context) {
    const pki = await pkiFor('ES256')
    const payload = PAYLOADS.find((p) => p.name === '1 KB')
    if (payload === undefined) throw new Error('no 1 KB payload')
    const pool = signPool([pki.leaf], payload, context.quick ? POOL.quick : POOL.full)
    const file = writePoolFile(pool)
    /** @type {Closable[]} */
    const opened = []
    try {
      const { host, sides } = await startPaths(pki, file.path, opened)
      const window = context.quick ? WINDOW.quick : WINDOW.full
      const what = { alg: 'ES256', payload: payload.name }
      const paths = [
        { note: 'inbound', sides: [sides.relayIn, sides.routerIn], baselines: ['bare ROUTER'] },
        {
          note: 'upstream',
          sides: [sides.relayUp, sides.loopUp, sides.proxyUp],
          baselines: ['bare SUB loop', 'zmq_proxy'],
        },
      ]
      for (const { note, sides: measuredSides, baselines } of paths) {
        for (const side of measuredSides) await prime(side, true)
        const [figure, ...measured] = await alternate(
          context.timing.rounds,
          measuredSides.map((side) => () => throughput(side, true, window)),
        )
        for (const [index, baselineName] of baselines.entries()) {
          const baseline = measured[index]
          const goal = baselineName === 'zmq_proxy' ? {} : { goal: GOAL }
          const row = { ...what, figure: 'relay plain', baselineName, ...goal }
          context.report(
            rowOf({ ...row, note: `${note}; ${cpuNote(figure, baseline)}` }, { figure, baseline }),
          )
        }
      }
      await prime(sides.verifyIn, false)
      const messages = pool.map((m) => /** @type {const} */ ([m.topicFrame, m.frame]))
      const [figure, baseline] = await alternate(context.timing.rounds, [
        () => throughput(sides.verifyIn, false, window),
        verifyRate(messages, () => consumerVerifier(pki), window.windowMs),
      ])
      const { verify } = await host.request('stats')
      const rejected = Object.values(verify.rejected).reduce((sum, n) => sum + n, 0)
      if (rejected > 0) throw new Error(`the verifying relay rejected ${rejected} envelopes`)
      const row = {
        ...what,
        figure: 'relay verify',
        baselineName: 'verifier alone',
        goal: VERIFY_GOAL,
      }
      context.report(
        rowOf({ ...row, note: `inbound; ${cpuNote(figure, baseline)}` }, { figure, baseline }),
      )
    } finally {
      for (const item of opened.reverse()) await item.close()
      file.remove()
    }
  },
}

/**
 * Starts the traffic process (pool loaded from `poolPath`) and the relay host, wires every input, and opens a
 * far-side counter on every output. Everything it opens is pushed on `opened` as soon as it exists.
 *
 * @param {import('./lib/pki.js').Pki} pki
 * @param {string} poolPath
 * @param {Closable[]} opened
 */
async function startPaths(pki, poolPath, opened) {
  const traffic = await startChild(new URL('./lib/traffic-process.js', import.meta.url))
  opened.push(traffic)
  const host = await startChild(new URL('./lib/relay-host-process.js', import.meta.url))
  opened.push(host)
  await traffic.request('load', { path: poolPath })
  /** @type {Record<string, string>} */
  const upstream = {}
  for (const name of ['relay', 'loop', 'proxy']) {
    upstream[name] = await traffic.request('bind', { name: `${name}-up`, hwm: HWM })
  }
  const ends = await host.request('start', {
    anchor: pki.anchor,
    crls: pki.crls,
    hwm: HWM,
    upstream,
  })
  for (const [name, address] of [
    ['relay-in', ends.plain.inbound],
    ['verify-in', ends.verify.inbound],
    ['router-in', ends.router.inbound],
  ]) {
    await traffic.request('connect', { name, address, hwm: HWM })
  }
  for (const name of ['relay-up', 'loop-up', 'proxy-up']) {
    await traffic.request('subscribed', { name })
  }
  /** @param {string} address */
  const farSide = (address) => {
    const counter = countingSubscriber(address, FAR_SIDE_HWM)
    opened.push(counter)
    return counter
  }
  const plainOut = farSide(ends.plain.outbound)
  /** @type {(name: string, counter: import('./lib/far-side.js').Counter) => Side} */
  const side = (name, counter) => ({ traffic, name, counter, cpu: () => host.request('cpu') })
  return {
    host,
    sides: {
      relayIn: side('relay-in', plainOut),
      relayUp: side('relay-up', plainOut),
      routerIn: side('router-in', farSide(ends.router.outbound)),
      loopUp: side('loop-up', farSide(ends.loop.outbound)),
      proxyUp: side('proxy-up', farSide(ends.proxy.outbound)),
      verifyIn: side('verify-in', farSide(ends.verify.outbound)),
    },
  }
}
