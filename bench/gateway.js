// @ts-check
/**
 * gateway: `fedmsg gateway`'s WebSocket fan-out to 1,000 clients (issue 15 item 6). Each side is a server
 * process (lib/fanout-server-process.js) and a process of 1,000 clients (lib/fanout-clients-process.js) on
 * 127.0.0.1: fedmsg's WsGateway against a bare `ws` broadcast of the same frames (1 KB ES256 envelopes of the
 * bench PKI). Rounds alternate the two sides.
 * - `ws fanout`: frames delivered per second, all clients together: a burst of B messages sent as fast as the
 *   server's loop turns, timed from its first send to the last client's last frame.
 * - `ws fanout p99`: send-to-client latency at a fixed rate (every client's frames), p99 of all rounds.
 * - `ws fanout rss`: the server process's peak RSS over the run, 1,000 clients connected.
 * No goal: the ratios say what the gateway's patterns, limits and counters cost over a bare broadcast.
 */
import { startChild } from './lib/child-process.js'
import { median } from './lib/measure.js'
import { PAYLOADS } from './lib/payloads.js'
import { pkiFor } from './lib/pki.js'
import { signPool } from './lib/envelopes.js'

const SETTINGS = {
  full: { clients: 1000, burst: 100, rounds: 5, rate: 20, pacedSeconds: 3 },
  quick: { clients: 100, burst: 20, rounds: 1, rate: 20, pacedSeconds: 0.5 },
}
const TIMEOUT_MS = 120_000
const MB = 1_048_576

/**
 * @typedef {object} Side
 * @property {import('./lib/child-process.js').ChildHandle} server
 * @property {import('./lib/child-process.js').ChildHandle} clients
 * @property {number[]} rates frames/s of each burst round
 * @property {number[]} p99s µs of each paced round
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
  return { server, clients, rates: [], p99s: [] }
}

/** @param {Side} side @param {number} clients @param {number} burst */
async function burstRound(side, clients, burst) {
  await side.clients.request('reset', { measure: false })
  const startedAt = await side.server.request('burst', { count: burst })
  const lastAt = await side.clients.request('until', { count: burst, timeoutMs: TIMEOUT_MS })
  side.rates.push((burst * clients) / ((lastAt - startedAt) / 1000))
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
      for (let round = 0; round < settings.rounds; round++) {
        for (const side of [gateway, bare])
          await pacedRound(side, settings.rate, settings.pacedSeconds)
      }
      const [gatewayMemory, bareMemory] = await Promise.all(
        [gateway, bare].map((side) => side.server.request('memory')),
      )
      const row = { alg: 'ES256', payload: payload.name, baselineName: 'bare ws' }
      const clients = `${settings.clients.toLocaleString('en-US')} clients`
      const rate = median(gateway.rates)
      const bareRate = median(bare.rates)
      context.report({
        ...row,
        figure: 'ws fanout',
        unit: 'ops/s',
        value: rate,
        baseline: bareRate,
        ratio: rate / bareRate,
        rounds: gateway.rates,
        baselineRounds: bare.rates,
        note: `${clients}, frames/s delivered, bursts of ${settings.burst}`,
      })
      const p99 = median(gateway.p99s)
      const bareP99 = median(bare.p99s)
      context.report({
        ...row,
        figure: 'ws fanout p99',
        unit: 'µs',
        value: p99,
        baseline: bareP99,
        ratio: p99 / bareP99,
        rounds: gateway.p99s,
        baselineRounds: bare.p99s,
        note: `${clients}, at ${settings.rate} messages/s (${(settings.rate * settings.clients).toLocaleString('en-US')} frames/s)`,
      })
      context.report({
        ...row,
        figure: 'ws fanout rss',
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
