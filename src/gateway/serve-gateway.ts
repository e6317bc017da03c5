import { readFileSync } from 'node:fs'
import { createCommandLogger } from '../cli/logging.js'
import { loadCliConfig } from '../cli/load-cli-config.js'
import { runUntilSignal } from '../cli/run-until-signal.js'
import { subscribeAddresses } from '../cli/subscribe-addresses.js'
import { warnAboutDevDefaults } from '../cli/dev-defaults-warning.js'
import { createHub, type Hub } from '../hub/hub.js'
import { createMetricsRegistry } from '../metrics/metrics-registry.js'
import { parseHostPort } from '../metrics/metrics-server.js'
import { registerHubMetrics } from '../metrics/hub-metrics.js'
import { openMessageDatabase } from '../store/message-database.js'
import { parseStoreUrl } from '../store/store-url.js'
import { tuningFromConfig } from '../transport/socket-options.js'
import { CRL_POLL_INTERVAL_MS, CrlWatcher } from '../verification/crl-watcher.js'
import { emptyRejectCounts } from '../verification/reject-counts.js'
import { registerGatewayMetrics } from './gateway-metrics.js'
import type { WsGatewayOptions } from './gateway-options.js'
import { PublicPublisher } from './public-publisher.js'
import { StoreHistory } from './history-source.js'
import { createStoredRowVerifier } from '../archive/stored-row-verifier.js'
import { readConfiguredFile } from '../config/read-configured-file.js'
import { startWebGateway } from './web-gateway.js'

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
 * the public PUB and to the WebSocket clients. `history` requests are answered from the store when the
 * config has one (`store.db`), else from memory. Startup failures throw (exit status 2).
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
  const storeUrl = config.store?.db
  // A store URL that can never work stops the start (exit 2), not every history request later.
  if (storeUrl !== undefined) parseStoreUrl(storeUrl, process.cwd())
  const store =
    storeUrl === undefined
      ? undefined
      : new StoreHistory(
          () => openMessageDatabase(storeUrl, process.cwd()),
          createStoredRowVerifier({
            trustAnchors: config.trust.map((file) => readConfiguredFile(file, 'trust')),
            crls: config.crl.map((file) => readConfiguredFile(file, 'crl')),
            maxEnvelopeBytes: config.max_message_bytes,
          }),
          log,
        )
  const pub = await PublicPublisher.bind(
    flags.public ?? GATEWAY_DEFAULTS.public,
    tuningFromConfig(config),
  )
  let stopping = false
  let hub: Hub | undefined = undefined
  const registry = createMetricsRegistry()
  const web = await closingOnFailure([pub], () =>
    startWebGateway({
      host,
      port,
      limits: flags,
      tls,
      trustAnchorsPem: config.trust.map((file) => readFileSync(file, 'utf8')).join('\n'),
      registry,
      rejected: () => hub?.stats().rejected ?? emptyRejectCounts(),
      healthy: () => !stopping,
      history: store?.query,
      logger: log,
    }),
  )
  const connect = flags.connect.length > 0 ? flags.connect : subscribeAddresses(config)
  hub = await closingOnFailure([web, pub], () =>
    createHub({
      config,
      logger: log,
      connect,
      consumers: [
        {
          name: 'gateway',
          topic: ['>'],
          consume: (message) => {
            pub.offer(message.topic, message.envelope)
            web.forward(message)
          },
        },
      ],
    }),
  )
  const verifying = hub
  // Stored history is checked against the same CRL files, reloaded the same way as the hub's verifier.
  const historyCrls =
    store &&
    (await closingOnFailure([verifying, web, pub], () =>
      CrlWatcher.watch(config.crl, store, { intervalMs: CRL_POLL_INTERVAL_MS, logger: log }),
    ))
  registerHubMetrics(registry, () => verifying.stats())
  registerGatewayMetrics(registry, () => ({
    ...web.ws.stats(),
    publicForwarded: pub.forwarded,
    publicDropped: pub.dropped,
    historyRefused: store?.refused ?? 0,
  }))
  const stopped = runUntilSignal(
    async () => {
      await verifying.drain()
      await historyCrls?.close()
      await web.close()
      await pub.close()
      await store?.close()
    },
    {
      onStop: (signal) => {
        stopping = true
        log.info({ signal }, 'gateway stopping')
      },
    },
  )
  log.info(
    { connect, page: web.url, public: pub.address, history: store ? 'store' : 'memory' },
    'gateway started',
  )
  const cause = await stopped
  log.info({ cause, ...web.ws.stats() }, 'gateway stopped')
}

// A startup failure must not leave a socket or server open: the process would not exit.
async function closingOnFailure<T>(
  opened: readonly { close(): Promise<void> }[],
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start()
  } catch (error) {
    for (const thing of opened) await thing.close()
    throw error
  }
}
