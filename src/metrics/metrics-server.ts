import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'
import { AddressInUse, ConfigInvalid } from '../errors.js'

export interface MetricsServerOptions {
  /** `HOST:PORT` (`metrics_address`, `--metrics`); port 0 picks a free one. */
  readonly address: string
  /** What `/metrics` serves (text exposition format 0.0.4): see createMetricsRegistry. */
  readonly registry: Registry
  /** `/healthz` answers 200 while this holds, 503 otherwise (e.g. while draining). */
  readonly healthy: () => boolean
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** `http://HOST:PORT`, with the port actually bound. */
  readonly url: string
  close(): Promise<void>
}

/**
 * Serves `GET /metrics` (the registry, as Prometheus scrapes it) and `GET /healthz` for a hub or relay, on
 * plain `node:http`. Throws
 * {@link AddressInUse} when the port is taken and ConfigInvalid for an address that is not `HOST:PORT`.
 *
 * @example
 * ```ts
 * const server = await startMetricsServer({
 *   address: '127.0.0.1:9464',
 *   registry,
 *   healthy: () => true,
 * })
 * ```
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { host, port } = parseHostPort(options.address)
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end()
    } else if (path === '/metrics') {
      serveMetrics(options.registry, response)
    } else if (path === '/healthz') {
      const healthy = options.healthy()
      response
        .writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' })
        .end(healthy ? 'ok\n' : 'stopping\n')
    } else {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n')
    }
  })
  await listen(server, host, port, options.address)
  const bound = server.address() as AddressInfo
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address
  return {
    url: `http://${shownHost}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function serveMetrics(registry: Registry, response: ServerResponse): void {
  registry.metrics().then(
    (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
    // A collector that throws must not take the process down: Prometheus records the failed scrape.
    () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('error\n'),
  )
}

function listen(server: Server, host: string, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new AddressInUse(address, { cause: error }) : error)
    })
    server.listen({ host, port }, () => resolve())
  })
}

/** `HOST:PORT` or `[IPv6]:PORT`. */
export function parseHostPort(address: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address)
  const port = Number(match?.[3])
  if (match === null || port > 65_535) {
    throw new ConfigInvalid(
      `metrics address "${address}" is not HOST:PORT: use e.g. 127.0.0.1:9464`,
      { key: 'metrics_address' },
    )
  }
  return { host: match[1] ?? match[2]!, port }
}
