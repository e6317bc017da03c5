// @ts-check
/**
 * Child: one WebSocket server of the `gateway` benchmark, alone in its process so that its RSS is its own.
 * `gateway`: fedmsg's WsGateway (every limit at its default, maxClients raised to the clients connected);
 * `bare`: a `ws` WebSocketServer broadcasting each frame to every open connection, as ws's README does, the
 * frame encoded once. Both send the same frame text, `{"type":"message","topic":…,"envelope":…}`, whose
 * topic carries the send instant in µs (`bench.t<µs>`) for the clients' latency.
 */
import { createServer } from 'node:http'
import { once } from 'node:events'
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises'
import { WebSocket, WebSocketServer } from 'ws'
import { WsGateway } from '../../dist/gateway/ws-gateway.js'
import { serveParent } from './child-process.js'
import { sharedNow } from './shared-clock.js'

/** Messages sent between two turns of the event loop in a burst, so the sockets drain as on a live bus. */
const PER_TURN = 4

const http = createServer((_, response) => response.writeHead(404).end())
/** @type {(topic: string, envelope: string) => void} */
let forward = () => undefined
/** @type {string[]} */
let envelopes = []
let sent = 0

const stampedTopic = () => `bench.t${Math.round(sharedNow() * 1000)}`
const next = () => envelopes[sent++ % envelopes.length] ?? ''

serveParent({
  /** @param {{ kind: 'gateway' | 'bare', envelopes: string[], clients: number }} args */
  async start({ kind, envelopes: pool, clients }) {
    envelopes = pool
    if (kind === 'gateway') {
      const gateway = new WsGateway({ maxClients: clients })
      gateway.attach(http)
      forward = (topic, envelope) => gateway.forward(topic, envelope)
    } else {
      const server = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false })
      forward = (topic, envelope) => {
        const frame = Buffer.from(JSON.stringify({ type: 'message', topic, envelope }))
        for (const client of server.clients) {
          if (client.readyState === WebSocket.OPEN) client.send(frame, { binary: false })
        }
      }
    }
    http.listen({ host: '127.0.0.1', port: 0, backlog: 2048 })
    await once(http, 'listening')
    const address = /** @type {import('node:net').AddressInfo} */ (http.address())
    return `ws://127.0.0.1:${address.port}/ws`
  },
  /** One message now. */
  probe() {
    forward(stampedTopic(), next())
  },
  /** @param {{ count: number }} args `count` messages as fast as the loop turns; returns when it started */
  async burst({ count }) {
    const startedAt = sharedNow()
    for (let n = 0; n < count; n++) {
      forward(stampedTopic(), next())
      if (n % PER_TURN === PER_TURN - 1) await yieldToLoop()
    }
    return startedAt
  },
  /** @param {{ rate: number, count: number }} args `count` messages at `rate` per second */
  async paced({ rate, count }) {
    const start = sharedNow()
    for (let n = 0; n < count; n++) {
      const wait = start + (n * 1000) / rate - sharedNow()
      if (wait > 0) await sleep(wait)
      forward(stampedTopic(), next())
    }
  },
  /** CPU time this process has used, µs (user + system). */
  cpu() {
    const { user, system } = process.cpuUsage()
    return user + system
  },
  memory() {
    return { rss: process.memoryUsage().rss, peakRss: process.resourceUsage().maxRSS * 1024 }
  },
})
