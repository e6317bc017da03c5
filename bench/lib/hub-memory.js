// @ts-check
/**
 * A hub in a child process (hub-host-process.js) fed by a traffic process (traffic-process.js) through an XPUB
 * that waits for the hub instead of dropping, so that the hub reads every message sent: the memory figures
 * send a known number and read the hub's RSS once it has read them all.
 */
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { startChild } from './child-process.js'

/** ZMQ_SNDHWM of the traffic XPUB (the hub's SUB has its own default, high_water_mark). */
const HWM = 1000
/** The hub must read at least one more message within this long, or the figure fails. */
const STALL_MS = 15_000

/**
 * What hub-host-process.js `sample` answers.
 *
 * @typedef {object} HubSample
 * @property {number} rss
 * @property {number} peakRss highest RSS since the previous sample
 * @property {number} heapTotal V8's heap, reserved
 * @property {number} heapUsed
 * @property {number} external
 * @property {number} heapAfterGc heapUsed after a full garbage collection (taken after the other readings)
 * @property {number} rssAfterGc
 * @property {number} received
 * @property {number} verified
 * @property {Record<string, number>} rejected reasons that occurred, with their counts
 * @property {import('../../dist/internal.js').ConsumerStats} consumer
 * @property {{ verifiedChains: number, rejectedChains: number, msgIds: number }} caches
 */

/**
 * @typedef {object} MeasuredHub
 * @property {import('./child-process.js').ChildHandle} child the hub's process
 * @property {import('./child-process.js').ChildHandle} traffic
 * @property {number} warmupRate messages per second the hub read during the warm-up
 * @property {HubSample} start the sample after the warm-up
 * @property {HubSample} last the latest sample
 * @property {number} sent messages sent so far
 */

/**
 * @typedef {object} HubSetup
 * @property {import('./pki.js').Pki} pki
 * @property {unknown} forger arguments of traffic-process.js `forger`
 * @property {number} warmup valid messages sent before the start sample
 */

/**
 * Starts a hub and its traffic, warms the hub up with valid messages, runs `body`, and closes both processes
 * whatever happens.
 *
 * @param {HubSetup} setup
 * @param {(hub: MeasuredHub) => Promise<void>} body
 */
export async function withHub(setup, body) {
  /** @type {import('./child-process.js').ChildHandle[]} */
  const opened = []
  try {
    const traffic = await startChild(new URL('./traffic-process.js', import.meta.url))
    opened.push(traffic)
    const child = await startChild(new URL('./hub-host-process.js', import.meta.url), [
      '--expose-gc',
    ])
    opened.push(child)
    await traffic.request('forger', setup.forger)
    const address = await traffic.request('bind', { name: 'hub', hwm: HWM })
    await child.request('start', {
      anchor: setup.pki.anchor,
      crls: setup.pki.crls,
      connect: address,
    })
    await traffic.request('subscribed', { name: 'hub' })
    const first = await child.request('sample')
    /** @type {MeasuredHub} */
    const hub = { child, traffic, warmupRate: 0, start: first, last: first, sent: 0 }
    const warm = await hubAfter(hub, 'signed', setup.warmup)
    hub.warmupRate = warm.inputRate
    hub.start = warm.sample
    await body(hub)
  } finally {
    for (const child of opened.reverse()) await child.close()
  }
}

/**
 * Sends `count` messages from `source` (see traffic-process.js) and samples the hub once it has read them.
 *
 * @param {MeasuredHub} hub
 * @param {string} source
 * @param {number} count
 */
export async function hubAfter(hub, source, count) {
  const started = performance.now()
  await hub.traffic.request('run', { name: 'hub', source, count })
  hub.sent += count
  await readAll(hub.child, hub.sent)
  const seconds = (performance.now() - started) / 1000
  /** @type {HubSample} */
  const sample = await hub.child.request('sample')
  const consumed = sample.consumer.completed - hub.last.consumer.completed
  hub.last = sample
  return { sample, seconds, inputRate: count / seconds, consumed }
}

/**
 * Waits until the hub has read `total` messages; throws when it stops making progress.
 *
 * @param {import('./child-process.js').ChildHandle} child
 * @param {number} total
 */
async function readAll(child, total) {
  let last = -1
  let progressAt = performance.now()
  for (;;) {
    const received = await child.request('received')
    if (received >= total) return
    if (received !== last) {
      last = received
      progressAt = performance.now()
    } else if (performance.now() - progressAt > STALL_MS) {
      throw new Error(`the hub read ${received} of ${total} messages and stopped`)
    }
    await sleep(20)
  }
}
