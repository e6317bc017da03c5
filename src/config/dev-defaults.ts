import { DEV_SERVICES, devCaFiles } from './bundled-dev-ca.js'
import { DEFAULT_CONFIG, type FedmsgConfig, type ServiceCertPaths } from './config-types.js'

/**
 * Where each publishing service of the dev setup binds. bodhi, fas and tagger keep the ports of the original
 * Python fedmsg proposal (3001–3003); the others follow on. The logger does not bind: it connects to
 * `relay_inbound`. The hub only subscribes.
 */
const DEV_ENDPOINT_PORTS: Readonly<Record<string, number>> = {
  bodhi: 3001,
  fas: 3002,
  tagger: 3003,
  koji: 3004,
  pkgdb: 3005,
  wiki: 3006,
  git: 3007,
  meetbot: 3008,
  'demo-forger': 3009,
}

/** The relay's two sockets, on the ports of the original proposal. */
const DEV_RELAY_INBOUND = 'tcp://127.0.0.1:2003'
const DEV_RELAY_OUTBOUND = 'tcp://127.0.0.1:4001'

/**
 * A complete configuration for a bus on this host signed by the bundled dev CA (`certs/dev`): environment
 * `dev`, the dev root as the only trust anchor, its CRLs, a certificate for each dev service and endpoints
 * on 127.0.0.1. `fedmsg demo` runs on it. Pass it as `defaults` to {@link loadConfig} to let files override it.
 *
 * @param devCaDir - the dev CA bundle to point at (tests); default the one shipped in the package.
 * @example
 * ```ts
 * const { config } = loadConfig({ defaults: devDefaults() })
 * console.log(config.endpoints.bodhi) // [ 'tcp://127.0.0.1:3001' ]
 * ```
 */
export function devDefaults(devCaDir?: string): FedmsgConfig {
  const files = devCaFiles(devCaDir)
  const certs: Record<string, ServiceCertPaths> = {}
  for (const name of DEV_SERVICES) {
    certs[name] = { cert: files.serviceCert(name), key: files.serviceKey(name) }
  }
  const endpoints: Record<string, string[]> = {}
  for (const [name, port] of Object.entries(DEV_ENDPOINT_PORTS)) {
    endpoints[name] = [`tcp://127.0.0.1:${port}`]
  }
  return {
    ...DEFAULT_CONFIG,
    environment: 'dev',
    endpoints,
    relay_inbound: DEV_RELAY_INBOUND,
    relay_outbound: DEV_RELAY_OUTBOUND,
    trust: [files.rootCa],
    crl: [files.crl],
    certs,
  }
}
