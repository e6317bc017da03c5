import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'
import { AddressInUse } from '../errors.js'

/** A file the gateway serves as is. */
export interface StaticFile {
  readonly type: string
  readonly body: string | Buffer
}

export interface GatewayHttpOptions {
  readonly host: string
  readonly port: number
  readonly registry: Registry
  readonly healthy: () => boolean
  /** The page's numbers, served as JSON on `/stats`. */
  readonly stats: () => unknown
  /** URL path → file (the web view and the browser verifier bundle). */
  readonly files: Readonly<Record<string, StaticFile>>
  /** PEM certificate and key: serve HTTPS (and WSS) instead of HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string }
}

/**
 * The gateway's HTTP(S) server: the static files, `/stats`, `/healthz` and `/metrics` (as the hub's metrics server
 * answers them). The WebSocket endpoint attaches to it. Only GET and HEAD exist: nothing is written.
 */
export async function startGatewayHttp(
  options: GatewayHttpOptions,
): Promise<{ server: Server; url: string }> {
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://gateway').pathname
    const file = options.files[path]
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end()
    } else if (path === '/healthz') {
      const healthy = options.healthy()
      response
        .writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' })
        .end(healthy ? 'ok\n' : 'stopping\n')
    } else if (path === '/stats') {
      response
        .writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
        })
        .end(JSON.stringify(options.stats()))
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) =>
          response.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        () => response.writeHead(500).end('error\n'),
      )
    } else if (file !== undefined) {
      response
        .writeHead(200, { 'content-type': file.type, 'x-content-type-options': 'nosniff' })
        .end(file.body)
    } else {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n')
    }
  }
  const server: Server = options.tls
    ? createHttpsServer(options.tls, handler)
    : createHttpServer(handler)
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new AddressInUse(`${options.host}:${options.port}`, { cause: error })
          : error,
      ),
    )
    server.listen({ host: options.host, port: options.port }, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return { server, url: `${options.tls ? 'https' : 'http'}://${options.host}:${port}/` }
}
