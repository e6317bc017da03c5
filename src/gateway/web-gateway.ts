import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'
import type { RejectCounts } from '../verification/reject-counts.js'
import { startGatewayHttp } from './gateway-http.js'
import type { WsGatewayOptions } from './gateway-options.js'
import type { HistorySource } from './history-source.js'
import { webViewFiles } from './web-view-files.js'
import { WsGateway } from './ws-gateway.js'

/** What the web side of a gateway needs: where to listen, and what its verifying hub counts. */
export interface WebGatewayOptions {
  readonly host: string
  /** 0: any free port (the URL names it). */
  readonly port: number
  readonly limits: WsGatewayOptions
  /** PEM certificate and key: serve HTTPS and WSS. */
  readonly tls?: { readonly cert: string; readonly key: string } | undefined
  /** The verifying hub's trust anchors, served to the page (public certificates). */
  readonly trustAnchorsPem: string
  readonly registry: Registry
  /** The verifying hub's rejection counts, served on `/stats`. */
  readonly rejected: () => Readonly<RejectCounts>
  readonly healthy: () => boolean
  /** Answers `history` from the store; absent: the in-memory ring. */
  readonly history?: HistorySource | undefined
  readonly logger: Logger
}

/** The page's numbers (`GET /stats`, docs/gateway.md). */
export interface WebGatewayStats {
  readonly verifiedBySigner: Readonly<Record<string, number>>
  readonly rejected: Readonly<RejectCounts>
}

/** The web view, `/ws` and `/stats` of `fedmsg gateway` and `fedmsg demo`, fed verified messages by a hub. */
export interface WebGateway {
  readonly url: string
  readonly ws: WsGateway
  /** Hands one verified message to the WebSocket clients and counts it by signer. */
  forward(message: VerifiedMessage): void
  close(): Promise<void>
}

/**
 * Starts the HTTP(S) server with the web view, `/ws`, `/stats`, `/healthz` and `/metrics`. The caller's hub
 * verifies; this only forwards what it is given.
 *
 * @example
 * ```ts
 * const web = await startWebGateway({ host: '127.0.0.1', port: 0, ...rest })
 * const consumer = { topic: '>', consume: (message) => web.forward(message) }
 * ```
 */
export async function startWebGateway(options: WebGatewayOptions): Promise<WebGateway> {
  // No prototype: a CN is whatever a CA wrote, and `constructor` or `__proto__` must count like any other.
  const verifiedBySigner = Object.create(null) as Record<string, number>
  const ws = new WsGateway(options.limits, loggedOnFirstFailure(options.history, options.logger))
  const stats = (): WebGatewayStats => ({ verifiedBySigner, rejected: options.rejected() })
  const http = await startGatewayHttp({
    host: options.host,
    port: options.port,
    registry: options.registry,
    healthy: options.healthy,
    stats,
    files: webViewFiles(options.trustAnchorsPem),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  })
  ws.attach(http.server)
  return {
    url: http.url,
    ws,
    forward(message) {
      const signer = message.signer.name
      verifiedBySigner[signer] = (verifiedBySigner[signer] ?? 0) + 1
      ws.forward(message.topic, message.envelope)
    },
    async close() {
      await ws.close()
      await new Promise<void>((resolve) => {
        http.server.close(() => resolve())
        http.server.closeAllConnections()
      })
    },
  }
}

// A store that is down fails every request the same way: say so once, the ring answers meanwhile.
function loggedOnFirstFailure(
  history: HistorySource | undefined,
  log: Logger,
): HistorySource | undefined {
  if (history === undefined) return undefined
  let logged = false
  return async (pattern, limit) => {
    try {
      return await history(pattern, limit)
    } catch (error) {
      if (!logged) {
        logged = true
        log.warn({ err: error }, 'store history failed: answering from memory until it recovers')
      }
      throw error
    }
  }
}
