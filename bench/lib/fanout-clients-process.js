// @ts-check
/**
 * Child: the 1,000 WebSocket clients of one side of the `gateway` benchmark. Each subscribes to `>` (the bare
 * server ignores it), counts the frames it receives and, while measuring, records each frame's latency from
 * the send instant its topic carries (lib/shared-clock.js) without parsing the rest of the frame.
 */
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { WebSocket } from 'ws'
import { serveParent } from './child-process.js'
import { sharedNow } from './shared-clock.js'

const PREFIX = Buffer.from('{"type":"message","topic":"bench.t')
const QUOTE = 0x22
/** Connections opened at once: the server's accept queue stays short. */
const CONNECT_BATCH = 50

/** @type {{ socket: WebSocket, count: number }[]} */
const clients = []
/** @type {number[]} µs */
let latencies = []
let measuring = false
let lastAt = 0

/** @param {Buffer} data */
function onFrame(data) {
  lastAt = sharedNow()
  if (!measuring) return
  const end = data.indexOf(QUOTE, PREFIX.length)
  latencies.push(lastAt * 1000 - Number(data.toString('latin1', PREFIX.length, end)))
}

/** @param {number[]} sorted @param {number} q */
const quantile = (sorted, q) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

serveParent({
  /** @param {{ url: string, count: number }} args */
  async connect({ url, count }) {
    for (let n = 0; n < count; n += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - n) }, () => {
        const client = { socket: new WebSocket(url, { perMessageDeflate: false }), count: 0 }
        client.socket.on('message', (/** @type {Buffer} */ data) => {
          client.count++
          onFrame(data)
        })
        clients.push(client)
        return once(client.socket, 'open').then(() =>
          client.socket.send(JSON.stringify({ op: 'subscribe', patterns: ['>'] })),
        )
      })
      await Promise.all(batch)
    }
    return clients.length
  },
  /** Frames the client that received the fewest has received. */
  fewest() {
    return Math.min(...clients.map((c) => c.count))
  },
  /** @param {{ measure: boolean }} args */
  reset({ measure }) {
    for (const client of clients) client.count = 0
    latencies = []
    measuring = measure
  },
  /**
   * Resolves once every client has `count` frames (since reset), with the instant the last one arrived.
   *
   * @param {{ count: number, timeoutMs: number }} args
   */
  async until({ count, timeoutMs }) {
    const deadline = Date.now() + timeoutMs
    while (clients.some((c) => c.count < count)) {
      if (Date.now() > deadline) {
        const open = clients.filter((c) => c.socket.readyState === WebSocket.OPEN).length
        throw new Error(
          `clients got ${Math.min(...clients.map((c) => c.count))} of ${count}; ${open} open`,
        )
      }
      await sleep(5)
    }
    return lastAt
  },
  /** p50, p99 and max of the latencies recorded since reset, µs. */
  percentiles() {
    const sorted = Float64Array.from(latencies).sort()
    const values = Array.from(sorted)
    return {
      p50: quantile(values, 0.5),
      p99: quantile(values, 0.99),
      max: values.at(-1) ?? 0,
      n: values.length,
    }
  },
  close() {
    for (const client of clients) client.socket.terminate()
  },
})
