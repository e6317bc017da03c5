import { readFileSync } from 'node:fs'
import { createCommandLogger } from '../cli/logging.js'
import { loadCliConfig } from '../cli/load-cli-config.js'
import { runUntilSignal } from '../cli/run-until-signal.js'
import { subscribeAddresses } from '../cli/subscribe-addresses.js'
import { warnAboutDevDefaults } from '../cli/dev-defaults-warning.js'
import { createHub } from '../hub/hub.js'
import { createMetricsRegistry } from '../metrics/metrics-registry.js'
import { parseHostPort } from '../metrics/metrics-server.js'
import { registerHubMetrics } from '../metrics/hub-metrics.js'
import { tuningFromConfig } from '../transport/socket-options.js'
import { startGatewayHttp } from './gateway-http.js'
import { registerGatewayMetrics } from './gateway-metrics.js'
import type { WsGatewayOptions } from './gateway-options.js'
import { PublicPublisher } from './public-publisher.js'
import { webViewFiles } from './web-view-files.js'
import { WsGateway } from './ws-gateway.js'

/** Defaults of `fedmsg gateway` on the dev bus (docs/gateway.md). */
export const GATEWAY_DEFAULTS = Object.freeze({
  http: '127.0.0.1:9939',
  public: 'tcp://127.0.0.1:9940',
})

/** Flags of `fedmsg gateway`. */
export interface ServeGatewayFlags extends WsGatewayOptions {
  readonly config?: string
  readonly connect: readonly string[]
  readonly http?: string
  readonly public?: string
  readonly tlsCert?: string
  readonly tlsKey?: string
}

/**
 * Runs `fedmsg gateway` until SIGTERM/SIGINT: a hub (every check of `fedmsg hub`, the same CRL reloads, none
 * of the config's consumer modules) whose one consumer forwards each verified message, frames unchanged, to
 * the public PUB and to the WebSocket clients. Startup failures throw (exit status 2).
 */
export async function serveGateway(flags: ServeGatewayFlags): Promise<void> {
  const loaded = loadCliConfig(flags.config, {})
  const config = { ...loaded.config, consumers: [] }
  const log = createCommandLogger('fedmsg-gateway', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const { host, port } = parseHostPort(flags.http ?? GATEWAY_DEFAULTS.http)
  const tls =
    flags.tlsCert !== undefined && flags.tlsKey !== undefined
      ? { cert: readFileSync(flags.tlsCert, 'utf8'), key: readFileSync(flags.tlsKey, 'utf8') }
      : undefined
  const ws = new WsGateway(flags)
  const pub = await PublicPublisher.bind(
    flags.public ?? GATEWAY_DEFAULTS.public,
    tuningFromConfig(config),
  )
  const connect = flags.connect.length > 0 ? flags.connect : subscribeAddresses(config)
  const hub = await createHub({
    config,
    logger: log,
    connect,
    consumers: [
      {
        name: 'gateway',
        topic: ['>'],
        consume: (message) => {
          pub.offer(message.topic, message.envelope)
          ws.forward(message.topic, message.envelope)
        },
      },
    ],
  })
  let stopping = false
  const registry = createMetricsRegistry()
  registerHubMetrics(registry, () => hub.stats())
  registerGatewayMetrics(registry, () => ({
    ...ws.stats(),
    publicForwarded: pub.forwarded,
    publicDropped: pub.dropped,
  }))
  const http = await startGatewayHttp({
    host,
    port,
    registry,
    healthy: () => !stopping,
    files: webViewFiles(config.trust.map((file) => readFileSync(file, 'utf8')).join('\n')),
    ...(tls === undefined ? {} : { tls }),
  })
  ws.attach(http.server)
  const stopped = runUntilSignal(
    async () => {
      await hub.drain()
      await ws.close()
      await pub.close()
      await new Promise<void>((resolve) => {
        http.server.close(() => resolve())
        http.server.closeAllConnections()
      })
    },
    {
      onStop: (signal) => {
        stopping = true
        log.info({ signal }, 'gateway stopping')
      },
    },
  )
  log.info({ connect, page: http.url, public: pub.address }, 'gateway started')
  const cause = await stopped
  log.info({ cause, ...ws.stats() }, 'gateway stopped')
}
