import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { timingSafeEqual } from 'node:crypto'
import { WebSocketServer, type WebSocket } from 'ws'
import { topicMatches } from '../crypto/policy/topic-pattern.js'
import {
  CLOSE_CODES,
  resolveWsGatewayOptions,
  type ResolvedWsGatewayOptions,
  type WsGatewayOptions,
} from './gateway-options.js'
import type { ForwardedMessage, HistorySource } from './history-source.js'
import { parseClientCommand } from './ws-protocol.js'

/** Counts of the WebSocket side, for /metrics and tests. */
export interface WsGatewayStats {
  clients: number
  delivered: number
  refusedFull: number
  refusedOrigin: number
  refusedToken: number
  droppedSlow: number
  closedBadInput: number
  closedRate: number
  /** `history` requests the store failed to answer (the in-memory ring answered them). */
  historyStoreFailures: number
}

interface Client {
  readonly socket: WebSocket
  readonly patterns: Set<string>
  windowStart: number
  framesInWindow: number
}

/**
 * The WebSocket endpoint of `fedmsg gateway`: clients subscribe to topic patterns and receive verified
 * envelopes unchanged. Read-only: no client command reaches the bus. See docs/gateway.md for the protocol,
 * the limits and their close codes.
 */
export class WsGateway {
  readonly #options: ResolvedWsGatewayOptions
  readonly #server: WebSocketServer
  readonly #clients = new Set<Client>()
  readonly #history: ForwardedMessage[] = []
  readonly #storeHistory: HistorySource | undefined
  readonly #stats: WsGatewayStats = {
    clients: 0,
    delivered: 0,
    refusedFull: 0,
    refusedOrigin: 0,
    refusedToken: 0,
    droppedSlow: 0,
    closedBadInput: 0,
    closedRate: 0,
    historyStoreFailures: 0,
  }

  /** `storeHistory` answers `history` requests when a store is configured; else the in-memory ring does. */
  constructor(options: WsGatewayOptions = {}, storeHistory?: HistorySource) {
    this.#options = resolveWsGatewayOptions(options)
    this.#storeHistory = storeHistory
    // perMessageDeflate off: compression state costs memory per client (ws docs).
    this.#server = new WebSocketServer({
      noServer: true,
      maxPayload: this.#options.maxPayloadBytes,
      perMessageDeflate: false,
    })
  }

  /** Serves the endpoint at `path` of `http` (an http or https server). */
  attach(http: Server, path = '/ws'): void {
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://gateway')
      if (url.pathname !== path) return refuse(socket, 404, 'Not Found')
      const denied = this.#admissionFault(request, url)
      if (denied !== undefined) return refuse(socket, denied.status, denied.text)
      this.#server.handleUpgrade(request, socket, head, (ws) => this.#accept(ws))
    })
  }

  /** Sends one verified message to every client subscribed to a matching pattern, and keeps it for history. */
  forward(topic: string, envelope: string): void {
    this.#history.push({ topic, envelope })
    if (this.#history.length > this.#options.historySize) this.#history.shift()
    // Encoded once for all clients, not by each client's write (bench/README.md, "Gateway fan-out").
    const frame = Buffer.from(JSON.stringify({ type: 'message', topic, envelope }))
    // Clients share few patterns: each is matched once per message, not once per client holding it.
    const verdicts = new Map<string, boolean>()
    const matches = (pattern: string): boolean => {
      let verdict = verdicts.get(pattern)
      if (verdict === undefined) verdicts.set(pattern, (verdict = topicMatches(pattern, topic)))
      return verdict
    }
    for (const client of this.#clients) {
      for (const pattern of client.patterns) {
        if (matches(pattern)) {
          this.#send(client, frame)
          break
        }
      }
    }
  }

  stats(): Readonly<WsGatewayStats> {
    return { ...this.#stats, clients: this.#clients.size }
  }

  /** Closes every client (1001 going away) and the endpoint. */
  async close(): Promise<void> {
    for (const client of this.#clients) client.socket.close(1001, 'gateway stopping')
    for (const client of this.#clients) client.socket.terminate()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #admissionFault(
    request: IncomingMessage,
    url: URL,
  ): { status: number; text: string } | undefined {
    const origins = this.#options.allowedOrigins
    if (origins.length > 0 && !origins.includes(request.headers.origin ?? '')) {
      this.#stats.refusedOrigin++
      return { status: 403, text: 'Forbidden' }
    }
    const token = this.#options.token
    if (token !== undefined) {
      const given = bearerOf(request.headers.authorization) ?? url.searchParams.get('token') ?? ''
      if (!sameSecret(given, token)) {
        this.#stats.refusedToken++
        return { status: 401, text: 'Unauthorized' }
      }
    }
    return undefined
  }

  #accept(socket: WebSocket): void {
    if (this.#clients.size >= this.#options.maxClients) {
      this.#stats.refusedFull++
      socket.close(CLOSE_CODES.tryAgainLater, 'gateway full')
      return
    }
    const client: Client = {
      socket,
      patterns: new Set(),
      windowStart: Date.now(),
      framesInWindow: 0,
    }
    this.#clients.add(client)
    socket.on('close', () => this.#clients.delete(client))
    socket.on('error', () => socket.terminate())
    socket.on('message', (data, isBinary) => this.#onFrame(client, data.toString(), isBinary))
  }

  #onFrame(client: Client, text: string, isBinary: boolean): void {
    // Frames already read from a client being dropped are not commands any more.
    if (!this.#clients.has(client)) return
    if (!this.#withinRate(client)) {
      this.#stats.closedRate++
      return this.#drop(client, CLOSE_CODES.policy, 'too many frames')
    }
    const command = isBinary
      ? { error: 'binary frames are not commands' }
      : parseClientCommand(text)
    if ('error' in command) {
      this.#stats.closedBadInput++
      return this.#drop(client, CLOSE_CODES.unsupportedData, command.error)
    }
    if (command.op === 'history') return void this.#answerHistory(client, command)
    for (const pattern of command.patterns) {
      if (command.op === 'subscribe') client.patterns.add(pattern)
      else client.patterns.delete(pattern)
    }
    if (client.patterns.size > this.#options.maxPatterns) {
      this.#stats.closedBadInput++
      return this.#drop(
        client,
        CLOSE_CODES.policy,
        `more than ${this.#options.maxPatterns} patterns`,
      )
    }
    this.#send(client, JSON.stringify({ type: 'subscribed', patterns: [...client.patterns] }))
  }

  async #answerHistory(client: Client, { pattern, limit }: { pattern: string; limit: number }) {
    let source = 'memory'
    let messages: readonly ForwardedMessage[] | undefined
    if (this.#storeHistory !== undefined) {
      try {
        messages = await this.#storeHistory(pattern, limit)
        source = 'store'
      } catch {
        this.#stats.historyStoreFailures++
      }
    }
    messages ??= this.#history.filter((m) => topicMatches(pattern, m.topic)).slice(-limit)
    if (!this.#clients.has(client)) return
    this.#send(client, JSON.stringify({ type: 'history', pattern, source, messages }))
  }

  // A fixed one-second window: simple, and a burst can be at most twice the rate.
  #withinRate(client: Client): boolean {
    const now = Date.now()
    if (now - client.windowStart >= 1000) {
      client.windowStart = now
      client.framesInWindow = 0
    }
    return ++client.framesInWindow <= this.#options.maxClientFramesPerSecond
  }

  // Backpressure: a client whose unsent bytes pass the limit is dropped, so memory stays bounded by
  // maxClients × maxBufferedBytes whatever the clients do.
  #send(client: Client, frame: string | Buffer): void {
    if (client.socket.readyState !== client.socket.OPEN) return
    if (client.socket.bufferedAmount + Buffer.byteLength(frame) > this.#options.maxBufferedBytes) {
      this.#stats.droppedSlow++
      return this.#drop(client, CLOSE_CODES.slowClient, 'slow client')
    }
    client.socket.send(frame, { binary: false })
    this.#stats.delivered++
  }

  // The close frame waits behind the client's queue, which a client that never reads never drains: the
  // socket is destroyed at once after it, and the client is forgotten now.
  #drop(client: Client, code: number, reason: string): void {
    this.#clients.delete(client)
    client.socket.close(code, reason.slice(0, 120))
    if (code === CLOSE_CODES.slowClient) client.socket.terminate()
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function bearerOf(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
