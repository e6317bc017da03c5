/** Where a service's signing certificate and key live. */
export interface ServiceCertPaths {
  /** PEM: the leaf certificate followed by its intermediates. */
  readonly cert: string
  /** PKCS#8 PEM private key, mode 0600. */
  readonly key: string
  /** File holding the key's passphrase, for an encrypted key. */
  readonly passphrase_file?: string
}

/** A consumer module the hub loads and dispatches verified messages to. */
export interface ConsumerConfig {
  /** Path of an ES module, relative to the config file that names it. */
  readonly module: string
  /** Topic patterns (`*` one token, `>` the rest); when omitted, the module's own `topic` export is used. */
  readonly topic?: string | readonly string[]
  /** Longest a consume() may run before it is counted as timed out. */
  readonly timeout_ms?: number
  /** Most messages waiting for this consumer; beyond it new ones are dropped and counted. */
  readonly queue_size?: number
}

/** A module of message summary processors (docs/summaries.md). */
export interface SummaryProcessorConfig {
  /** Path of an ES module, relative to the config file that names it. */
  readonly module: string
}

/** How a hub publishes the messages its consumers derive (docs/derived-messages.md). */
export interface DerivedConfig {
  /** The service the hub publishes as: signed with `certs.<service>`, sent like that service's publisher. */
  readonly service: string
  /** Longest chain of messages derived from derived messages; default 1 (none derived from a derived one). */
  readonly max_depth?: number
}

/** The memcached consumer (docs/memcached.md): the latest messages per topic pattern, for web apps. */
export interface MemcachedConfig {
  /** `host:port` of each memcached server. */
  readonly servers: readonly string[]
  /** One list per pattern: the latest `keep` messages (default 20). */
  readonly topics: readonly { readonly pattern: string; readonly keep?: number }[]
  /** Keys are `<key_prefix><pattern>`; default `fedmsg:`. */
  readonly key_prefix?: string
  /** Seconds memcached keeps a list not written since; default 0 (until evicted). */
  readonly expires_seconds?: number
  /** Longest one write may wait for memcached; default 1000. */
  readonly timeout_ms?: number
}

/** ZeroMQ CURVE keys (Z85) for confidentiality and transport authentication of one socket role. */
export interface CurveConfig {
  readonly public_key: string
  readonly secret_key: string
  /** Servers: the client public keys allowed to connect (the ZAP domain). Clients: unused. */
  readonly allowed_clients?: readonly string[]
  /** Clients: the server's public key. */
  readonly server_key?: string
}

/** The merged, validated configuration; docs/configuration.md describes every key. */
export interface FedmsgConfig {
  readonly environment: 'dev' | 'stg' | 'prod'
  readonly topic_prefix: string
  /** Service name → ZeroMQ addresses it binds (publishers) and that hubs connect to. */
  readonly endpoints: Readonly<Record<string, readonly string[]>>
  /** Where the relay binds its inbound socket and where short-lived publishers connect. */
  readonly relay_inbound?: string
  /** Where the relay binds its outbound PUB socket and where hubs connect. */
  readonly relay_outbound?: string
  /** Publishers that cannot bind (the logger) connect to relay_inbound instead. */
  readonly active?: boolean
  /** Trust anchor files (PEM). */
  readonly trust: readonly string[]
  /** CRL files (PEM); reloaded when they change. When given, revocation is mandatory for their issuers. */
  readonly crl: readonly string[]
  readonly certs: Readonly<Record<string, ServiceCertPaths>>
  /** Routing policy file; absent means any valid signer may publish any topic. */
  readonly routing_policy?: string
  /** Topic pattern → JSON Schema file bodies on matching topics must satisfy. */
  readonly schemas: Readonly<Record<string, string>>
  readonly max_message_bytes: number
  readonly max_age_seconds: number
  readonly clock_skew_seconds: number
  readonly high_water_mark: number
  /** What publish() does at the high-water mark: wait for room, or throw. */
  readonly hwm_mode: 'wait' | 'throw'
  readonly linger_ms: number
  readonly reconnect_ivl_ms: number
  readonly heartbeat_interval_ms: number
  /**
   * Worker threads a hub or a verifying relay verifies messages on: `"auto"` is one per core (at most 8; none on
   * one core), 0 verifies on the main thread.
   */
  readonly verify_workers: number | 'auto'
  /**
   * Where a hub keeps state across restarts (its replay journal, in `<state_dir>/hub`); absent: the hub's
   * default (`$STATE_DIRECTORY`, else `$XDG_STATE_HOME/fedmsg`, else `~/.local/state/fedmsg`).
   */
  readonly state_dir?: string
  /** fdatasync the replay journal before acting on what it records (absent: false). */
  readonly replay_fsync?: boolean
  readonly consumers: readonly ConsumerConfig[]
  /** Site processors of message summaries, used before the built-in ones (docs/summaries.md). */
  readonly summary_processors?: readonly SummaryProcessorConfig[]
  /** `host:port` for /healthz and /metrics of hub and relay; absent disables them. */
  readonly metrics_address?: string
  /** Messages the hub's consumers derive and publish (`context.publish`), as service `service`. */
  readonly derived?: DerivedConfig
  /** `fedmsg memcached`, and `fedmsg hub` runs the memcached consumer when this is set. */
  readonly memcached?: MemcachedConfig
  /** `fedmsg store`, `fedmsg query`: `db` is `sqlite:PATH` (default `sqlite:fedmsg.db`) or `postgres://…`. */
  readonly store?: { readonly db?: string }
  /** A hub's gap fill and catch-up from a store's `fedmsg api` (docs/protocol.md, "Gap fill"). */
  readonly gap_fill?: {
    readonly url: string
    readonly max_messages?: number
    readonly timeout_ms?: number
    readonly max_pending?: number
    readonly catch_up?: boolean
  }
  readonly curve?: {
    readonly server?: CurveConfig
    readonly client?: CurveConfig
  }
  readonly log_level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'
}

/** Library defaults, in one place. */
export const DEFAULT_CONFIG: FedmsgConfig = {
  environment: 'dev',
  topic_prefix: 'org.fedoraproject',
  endpoints: {},
  trust: [],
  crl: [],
  certs: {},
  schemas: {},
  max_message_bytes: 1_048_576,
  max_age_seconds: 300,
  clock_skew_seconds: 30,
  high_water_mark: 1000,
  hwm_mode: 'wait',
  linger_ms: 5_000,
  reconnect_ivl_ms: 100,
  heartbeat_interval_ms: 5_000,
  verify_workers: 'auto',
  consumers: [],
  log_level: 'info',
}
