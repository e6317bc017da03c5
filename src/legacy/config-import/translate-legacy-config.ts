import { join } from 'node:path'
import { assertValidTopicPattern } from '../../crypto/policy/topic-pattern.js'

/** What `fedmsg config import-legacy` makes of a Python fedmsg configuration. */
export interface LegacyImport {
  /** This project's configuration (fedmsg.json): what carries over as it is. */
  readonly config: Record<string, unknown>
  /** The fedmsg/1 routing policy (docs/protocol.md §6) from `routing_policy` and `routing_nitpicky`. */
  readonly routingPolicy:
    { default: 'allow' | 'deny'; rules: { topic: string; allow: string[] }[] } | undefined
  /** The flags of the two bridges (docs/migration.md). */
  readonly bridge: {
    /** `fedmsg bridge legacy --connect`: every legacy PUB endpoint. */
    readonly connect: string[]
    readonly ca: string | undefined
    readonly crl: string | undefined
    /** `--legacy-routing-policy`: Python fedmsg's routing_policy as it is. */
    readonly legacyRoutingPolicy: Record<string, string[]>
    readonly nitpicky: boolean
    /** certnames: each legacy identity's `ssldir/<certname>.crt` and `.key`, for `bridge to-legacy`. */
    readonly legacyCerts: Record<string, { cert: string; key: string }>
  }
  /** What did not carry over, and what to do about it: one sentence each, never a value. */
  readonly notes: string[]
}

const ENVIRONMENTS = new Set(['dev', 'stg', 'prod'])
const SERVICE_NAME = /^[A-Za-z0-9_-]+$/
// Python fedmsg keys with no fedmsg/1 counterpart that a site need not act on.
const IGNORED = new Set([
  'io_threads',
  'post_init_sleep',
  'zmq_enabled',
  'zmq_strict',
  'timeout',
  'print_config',
  'active',
  'persistent_store',
  'logging',
  'crl_cache_expiry',
  'ca_cert_cache_expiry',
  'crypto_validate_backends',
  'zmq_tcp_keepalive',
  'zmq_tcp_keepalive_cnt',
  'zmq_tcp_keepalive_idle',
  'zmq_tcp_keepalive_intvl',
  'zmq_reconnect_ivl_max',
  'crl_cache',
  'ca_cert_cache',
])

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string')
const isUrl = (v: string) => /^https?:\/\//.test(v)

/** A local file for a Python fedmsg location that may be a URL (then its cache file, which Python fedmsg kept). */
function localFile(
  location: unknown,
  cache: unknown,
  what: string,
  notes: string[],
): string | undefined {
  if (typeof location !== 'string') return undefined
  if (!isUrl(location)) return location
  const cached = typeof cache === 'string' ? cache : undefined
  notes.push(
    `${what} is a URL: fedmsg reads a local file; fetch it to ${cached ?? 'a file'} and keep it current`,
  )
  return cached
}

/**
 * Translates Python fedmsg's merged `config` dict into this project's configuration, routing policy and bridge
 * flags. Pure: no I/O. Keys are read, never echoed into notes with their values (a config may hold stomp_pass).
 */
export function translateLegacyConfig(legacy: Readonly<Record<string, unknown>>): LegacyImport {
  const notes: string[] = []
  const config: Record<string, unknown> = {}
  const used = new Set<string>()
  const take = (key: string) => (used.add(key), legacy[key])

  if (typeof take('topic_prefix') === 'string') config.topic_prefix = legacy.topic_prefix
  const environment = take('environment')
  if (typeof environment === 'string' && ENVIRONMENTS.has(environment))
    config.environment = environment
  else if (environment !== undefined)
    notes.push('environment is not dev, stg or prod: set it in fedmsg.json')

  const endpoints: Record<string, string[]> = {}
  const connect: string[] = []
  for (const [name, value] of Object.entries(
    isObject(take('endpoints')) ? (legacy.endpoints as object) : {},
  )) {
    const addresses = strings(value)
    connect.push(...addresses)
    if (name === 'relay_outbound') {
      config.relay_outbound = addresses[0]
      continue
    }
    // Python fedmsg names an endpoint "<service>.<host>"; fedmsg/1 names it by the service alone.
    const service = name.split('.')[0]!
    if (!SERVICE_NAME.test(service)) {
      notes.push(
        `endpoint "${name}" has no service name fedmsg/1 accepts ([A-Za-z0-9_-]+): left out`,
      )
      continue
    }
    endpoints[service] = [...new Set([...(endpoints[service] ?? []), ...addresses])]
  }
  if (Object.keys(endpoints).length > 0) {
    config.endpoints = endpoints
    notes.push(
      'endpoints are named by service: each "<service>.<host>" of Python fedmsg is merged into "<service>", the CN of that service\'s fedmsg/1 certificate',
    )
  }
  if (typeof take('relay_inbound') === 'string') config.relay_inbound = legacy.relay_inbound
  const hwm = take('high_water_mark')
  if (typeof hwm === 'number' && hwm > 0) config.high_water_mark = hwm
  else if (hwm === 0)
    notes.push('high_water_mark 0 (unbounded) is not allowed: the default 1000 applies')
  if (typeof take('zmq_linger') === 'number') config.linger_ms = legacy.zmq_linger
  if (typeof take('zmq_reconnect_ivl') === 'number')
    config.reconnect_ivl_ms = legacy.zmq_reconnect_ivl

  if (take('sign_messages') === false)
    notes.push(
      'sign_messages was false: every fedmsg/1 message is signed; issue each publishing service a certificate (fedmsg ca issue)',
    )
  if (take('validate_signatures') === false)
    notes.push(
      'validate_signatures was false: fedmsg/1 always verifies, and the legacy bridge verifies the legacy bus',
    )
  const backend = take('crypto_backend')
  if (backend !== undefined && backend !== 'x509')
    notes.push('crypto_backend is not x509: the legacy bridge verifies x509 messages only')

  const ssldir = take('ssldir')
  const legacyCerts: Record<string, { cert: string; key: string }> = {}
  for (const [name, certname] of Object.entries(
    isObject(take('certnames')) ? (legacy.certnames as object) : {},
  )) {
    if (typeof ssldir !== 'string' || typeof certname !== 'string') continue
    legacyCerts[name] = {
      cert: join(ssldir, `${certname}.crt`),
      key: join(ssldir, `${certname}.key`),
    }
  }
  if (Object.keys(legacyCerts).length > 0)
    notes.push(
      'certnames are legacy identities (legacy CA, RSA, SHA-1 era): use one with fedmsg bridge to-legacy; fedmsg/1 services get new certificates',
    )
  const ca = localFile(take('ca_cert_location'), take('ca_cert_cache'), 'ca_cert_location', notes)
  const crl = localFile(take('crl_location'), take('crl_cache'), 'crl_location', notes)

  const nitpicky = take('routing_nitpicky') === true
  const legacyRoutingPolicy: Record<string, string[]> = {}
  const rules: { topic: string; allow: string[] }[] = []
  for (const [topic, names] of Object.entries(
    isObject(take('routing_policy')) ? (legacy.routing_policy as object) : {},
  )) {
    legacyRoutingPolicy[topic] = strings(names)
    try {
      assertValidTopicPattern(topic)
      rules.push({ topic, allow: strings(names) })
    } catch {
      notes.push(
        `routing_policy topic "${topic}" is not a fedmsg/1 topic: left out of routing-policy.json`,
      )
    }
  }
  const hasPolicy = rules.length > 0 || nitpicky
  if (hasPolicy)
    notes.push(
      'routing-policy.json allows the legacy certificate CNs: replace each with the fedmsg/1 service name as services move',
    )

  const rest = Object.keys(legacy)
    .filter((key) => !used.has(key) && !IGNORED.has(key))
    .sort()
  if (rest.length > 0) notes.push(`not carried over (no fedmsg/1 counterpart): ${rest.join(', ')}`)
  return {
    config,
    routingPolicy: hasPolicy ? { default: nitpicky ? 'deny' : 'allow', rules } : undefined,
    bridge: { connect: [...new Set(connect)], ca, crl, legacyRoutingPolicy, nitpicky, legacyCerts },
    notes,
  }
}
