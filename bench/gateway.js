// @ts-check
/**
 * gateway: `fedmsg gateway`'s WebSocket fan-out to 1,000 clients (issue 15 item 6). Each side is a server
 * process (lib/fanout-server-process.js) and a process of 1,000 clients (lib/fanout-clients-process.js) on
 * 127.0.0.1: fedmsg's WsGateway against a bare `ws` broadcast of the same frames (1 KB ES256 envelopes of the
 * bench PKI). Rounds alternate the two sides.
 * - `fanout`: frames delivered per second, all clients together: a burst of B messages sent as fast as the
 *   server's loop turns, timed from its first send to the last client's last frame.
 * - `fanout p99`: send-to-client latency of every client's frames at half the slower side's `fanout`
 *   capacity (messages/s = frames/s / clients), the median of the rounds' p99.
 * - `fanout rss`: the server process's peak RSS over the run, 1,000 clients connected.
 * No goal: the ratios say what the gateway's patterns, limits and counters cost over a bare broadcast.
 */
import { startChild } from './lib/child-process.js'
import { median } from './lib/measure.js'
import { PAYLOADS } from './lib/payloads.js'
import { pkiFor } from './lib/pki.js'
import { signPool } from './lib/envelopes.js'

const SETTINGS = {
  full: { clients: 1000, burst: 100, rounds: 5, pacedSeconds: 3 },
  quick: { clients: 100, burst: 20, rounds: 1, pacedSeconds: 0.5 },
}
const TIMEOUT_MS = 120_000
const MB = 1_048_576

/**
 * @typedef {object} Side
 * @property {import('./lib/child-process.js').ChildHandle} server
 * @property {import('./lib/child-process.js').ChildHandle} clients
 * @property {number[]} rates frames/s of each burst round
 * @property {number[]} p99s µs of each paced round
 * @property {number[]} cpuPerFrame the server process's CPU time per delivered frame in each burst round, µs
 */

/**
 * @param {'gateway' | 'bare'} kind
 * @param {string[]} envelopes
 * @param {number} count
 * @returns {Promise<Side>}
 */
async function startSide(kind, envelopes, count) {
  const server = await startChild(new URL('./lib/fanout-server-process.js', import.meta.url))
  const clients = await startChild(new URL('./lib/fanout-clients-process.js', import.meta.url))
  const url = await server.request('start', { kind, envelopes, clients: count })
  await clients.request('connect', { url, count })
  // Subscriptions settle asynchronously: probe until every client has a frame.
  while ((await clients.request('fewest')) === 0) await server.request('probe')
  return { server, clients, rates: [], p99s: [], cpuPerFrame: [] }
}

/** @param {Side} side @param {number} clients @param {number} burst */
async function burstRound(side, clients, burst) {
  await side.clients.request('reset', { measure: false })
  const cpuBefore = await side.server.request('cpu')
  const startedAt = await side.server.request('burst', { count: burst })
  const lastAt = await side.clients.request('until', { count: burst, timeoutMs: TIMEOUT_MS })
  side.rates.push((burst * clients) / ((lastAt - startedAt) / 1000))
  side.cpuPerFrame.push(((await side.server.request('cpu')) - cpuBefore) / (burst * clients))
}

/** @param {Side} side @param {number} rate @param {number} seconds */
async function pacedRound(side, rate, seconds) {
  const count = Math.max(1, Math.round(rate * seconds))
  await side.clients.request('reset', { measure: true })
  await side.server.request('paced', { rate, count })
  await side.clients.request('until', { count, timeoutMs: TIMEOUT_MS })
  side.p99s.push((await side.clients.request('percentiles')).p99)
}

/** @type {import('./lib/row.js').Benchmark} */
export default {
  name: 'gateway',
  async run(context) {
    const settings = context.quick ? SETTINGS.quick : SETTINGS.full
    const payload = PAYLOADS.find((p) => p.name === '1 KB')
    if (payload === undefined) throw new Error('no 1 KB payload')
    const pki = await pkiFor('ES256')
    const envelopes = signPool([pki.leaf], payload, 256).map((m) => m.frame.toString('utf8'))
    /** @type {Side[]} */
    const sides = []
    try {
      const gateway = await startSide('gateway', envelopes, settings.clients)
      sides.push(gateway)
      const bare = await startSide('bare', envelopes, settings.clients)
      sides.push(bare)
      for (let round = 0; round < settings.rounds; round++) {
        for (const side of [gateway, bare]) await burstRound(side, settings.clients, settings.burst)
      }
      // Latency at half the slower side's capacity: over it, queues grow and p99 measures only the queue.
      const capacity = Math.min(median(gateway.rates), median(bare.rates)) / settings.clients
      const rate = Math.max(1, Math.floor(capacity / 2))
      for (let round = 0; round < settings.rounds; round++) {
        for (const side of [gateway, bare]) await pacedRound(side, rate, settings.pacedSeconds)
      }
      const [gatewayMemory, bareMemory] = await Promise.all(
        [gateway, bare].map((side) => side.server.request('memory')),
      )
      const row = { alg: 'ES256', payload: payload.name, baselineName: 'bare ws' }
      const clients = `${settings.clients.toLocaleString('en-US')} clients`
      const delivered = median(gateway.rates)
      const bareDelivered = median(bare.rates)
      context.report({
        ...row,
        figure: 'fanout',
        unit: 'ops/s',
        value: delivered,
        baseline: bareDelivered,
        ratio: delivered / bareDelivered,
        rounds: gateway.rates,
        baselineRounds: bare.rates,
        note:
          `${clients}, frames/s delivered, bursts of ${settings.burst}; server CPU/frame ` +
          `${median(gateway.cpuPerFrame).toFixed(1)} vs ${median(bare.cpuPerFrame).toFixed(1)} µs`,
      })
      const p99 = median(gateway.p99s)
      const bareP99 = median(bare.p99s)
      context.report({
        ...row,
        figure: 'fanout p99',
        unit: 'µs',
        value: p99,
        baseline: bareP99,
        ratio: p99 / bareP99,
        rounds: gateway.p99s,
        baselineRounds: bare.p99s,
        note: `${clients}, at ${rate} messages/s (${(rate * settings.clients).toLocaleString('en-US')} frames/s), 50% of capacity`,
      })
      context.report({
        ...row,
        figure: 'fanout rss',
        unit: 'MB',
        value: gatewayMemory.peakRss / MB,
        baseline: bareMemory.peakRss / MB,
        ratio: gatewayMemory.peakRss / bareMemory.peakRss,
        note: `${clients}, server process peak RSS; now ${(gatewayMemory.rss / MB).toFixed(1)} vs ${(bareMemory.rss / MB).toFixed(1)} MB`,
      })
    } finally {
      for (const side of sides) await Promise.all([side.clients.close(), side.server.close()])
    }
  },
}
