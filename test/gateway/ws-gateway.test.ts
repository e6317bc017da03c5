/**
 * The WebSocket side of `fedmsg gateway` with real `ws` clients over 127.0.0.1:
 *
 *   forward(topic, envelope) -> WsGateway -> ws clients (subscribed patterns) ; clients -X-> bus
 */
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WsGateway } from '../../src/gateway/ws-gateway.js'
import { CLOSE_CODES, type WsGatewayOptions } from '../../src/gateway/gateway-options.js'

const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'
const ENVELOPE = '{"alg":"EdDSA","x":"exact bytes, not re-serialized"}'

let http: Server | undefined
let gateway: WsGateway | undefined
const clients: WebSocket[] = []

afterEach(async () => {
  // A refused upgrade leaves its client CONNECTING; terminating that one throws in ws.
  for (const client of clients.splice(0)) {
    if (client.readyState !== WebSocket.CONNECTING) client.terminate()
  }
  await gateway?.close()
  await new Promise((resolve) => http?.close(resolve))
  http = gateway = undefined
})

async function start(options: WsGatewayOptions = {}): Promise<string> {
  gateway = new WsGateway(options)
  http = createServer((_, response) => response.writeHead(404).end())
  gateway.attach(http)
  http.listen(0, '127.0.0.1')
  await once(http, 'listening')
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`
}

/** A client whose received frames are queued; `next()` waits for the next one. */
function connect(url: string, options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(url, options)
  clients.push(socket)
  // Refused upgrades and terminated sockets report errors; each test asserts the outcome it expects.
  socket.on('error', () => {})
  const frames: unknown[] = []
  const waiters: ((frame: unknown) => void)[] = []
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString())
    const waiter = waiters.shift()
    if (waiter) waiter(frame)
    else frames.push(frame)
  })
  return {
    socket,
    opened: once(socket, 'open'),
    closed: once(socket, 'close').then(([code]) => code as number),
    next: () =>
      frames.length > 0
        ? Promise.resolve(frames.shift())
        : new Promise<unknown>((resolve) => waiters.push(resolve)),
    send: (command: unknown) => socket.send(JSON.stringify(command)),
  }
}

async function subscribed(url: string, patterns: string[]) {
  const client = connect(url)
  await client.opened
  client.send({ op: 'subscribe', patterns })
  expect(await client.next()).toEqual({ type: 'subscribed', patterns })
  return client
}

describe('WsGateway', () => {
  it('delivers the envelope text unchanged to clients whose pattern matches, and only to them', async () => {
    const url = await start()
    const bodhi = await subscribed(url, ['org.fedoraproject.*.bodhi.>'])
    const koji = await subscribed(url, ['org.fedoraproject.*.koji.>'])
    gateway!.forward(TOPIC, ENVELOPE)
    gateway!.forward('org.fedoraproject.prod.koji.build', '{"k":1}')
    expect(await bodhi.next()).toEqual({ type: 'message', topic: TOPIC, envelope: ENVELOPE })
    expect(await koji.next()).toEqual({
      type: 'message',
      topic: 'org.fedoraproject.prod.koji.build',
      envelope: '{"k":1}',
    })
    expect(gateway!.stats().delivered).toBe(4) // two "subscribed" answers and two messages
  })

  it('answers history with the last N messages of a pattern, oldest first', async () => {
    const url = await start({ historySize: 3 })
    for (let i = 1; i <= 5; i++) gateway!.forward(`org.example.n${i}`, `{"i":${i}}`)
    const client = connect(url)
    await client.opened
    client.send({ op: 'history', pattern: 'org.example.*', limit: 2 })
    expect(await client.next()).toEqual({
      type: 'history',
      pattern: 'org.example.*',
      source: 'memory',
      messages: [
        { topic: 'org.example.n4', envelope: '{"i":4}' },
        { topic: 'org.example.n5', envelope: '{"i":5}' },
      ],
    })
  })

  it.each([
    ['malformed JSON', '{"op":'],
    ['an unknown op', '{"op":"publish","topic":"org.x","envelope":"{}"}'],
    ['an invalid pattern', '{"op":"subscribe","patterns":["org..x"]}'],
    ['an extra member', '{"op":"subscribe","patterns":["org.x"],"then":"publish"}'],
  ])('closes a client that sends %s with 1003 and counts it', async (_name, frame) => {
    const url = await start()
    const client = connect(url)
    await client.opened
    client.socket.send(frame)
    expect(await client.closed).toBe(CLOSE_CODES.unsupportedData)
    expect(gateway!.stats().closedBadInput).toBe(1)
  })

  it('closes a client that sends an oversize frame with 1009', async () => {
    const url = await start({ maxPayloadBytes: 1024 })
    const client = connect(url)
    await client.opened
    client.socket.send('x'.repeat(2048))
    expect(await client.closed).toBe(CLOSE_CODES.tooBig)
  })

  it('closes a pattern flood with 1008', async () => {
    const url = await start({ maxPatterns: 2 })
    const client = connect(url)
    await client.opened
    client.send({ op: 'subscribe', patterns: ['org.a', 'org.b', 'org.c'] })
    expect(await client.closed).toBe(CLOSE_CODES.policy)
  })

  it('closes a client over the frame rate with 1008 and counts it', async () => {
    const url = await start({ maxClientFramesPerSecond: 3 })
    const client = connect(url)
    await client.opened
    for (let i = 0; i < 10; i++) client.send({ op: 'subscribe', patterns: ['org.a'] })
    expect(await client.closed).toBe(CLOSE_CODES.policy)
    expect(gateway!.stats().closedRate).toBe(1)
  })

  it('refuses a client over maxClients with 1013', async () => {
    const url = await start({ maxClients: 1 })
    await subscribed(url, ['org.a'])
    const second = connect(url)
    expect(await second.closed).toBe(CLOSE_CODES.tryAgainLater)
    expect(gateway!.stats().refusedFull).toBe(1)
  })

  it('refuses an Origin outside the allowlist and a missing token at the upgrade', async () => {
    const url = await start({ allowedOrigins: ['https://busmon.example'], token: 's3cret' })
    const badOrigin = connect(url, {
      origin: 'https://evil.example',
      headers: { authorization: 'Bearer s3cret' },
    })
    const [, response] = await once(badOrigin.socket, 'unexpected-response')
    expect(response.statusCode).toBe(403)
    const noToken = connect(url, { origin: 'https://busmon.example' })
    const [, refused] = await once(noToken.socket, 'unexpected-response')
    expect(refused.statusCode).toBe(401)
    const good = connect(`${url}?token=s3cret`, { origin: 'https://busmon.example' })
    await good.opened
    expect(gateway!.stats()).toMatchObject({ refusedOrigin: 1, refusedToken: 1, clients: 1 })
  })

  it('cuts off a client that never reads while the others keep receiving', async () => {
    const url = await start({ maxBufferedBytes: 256 * 1024 })
    const reader = await subscribed(url, ['org.example.>'])
    const stalled = await subscribed(url, ['org.example.>'])
    // The stalled client stops reading from its TCP socket: its bytes pile up in the gateway.
    ;(stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause()
    const envelope = JSON.stringify({ pad: 'x'.repeat(16 * 1024) })
    let received = 0
    const done = new Promise<void>((resolve) =>
      reader.socket.on('message', () => {
        if (++received === 400) resolve()
      }),
    )
    const pump = async () => {
      for (let i = 0; i < 400; i++) {
        gateway!.forward('org.example.big', envelope)
        // Let the event loop move bytes, as a live bus would between messages.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    await pump()
    await done
    expect(gateway!.stats().droppedSlow).toBe(1)
    expect(gateway!.stats().clients).toBe(1)
  })
})
