/**
 * JSON Schema (draft 2020-12) of a fedmsg configuration. docs/configuration.md is the prose form of it.
 *
 * Each `fedmsg.d/*.json` file is checked against {@link CONFIG_FILE_SCHEMA} (every key optional), and the merged
 * result against {@link CONFIG_SCHEMA} (every required key present). Each `$defs` entry that carries a pattern
 * also carries a `description`, which error messages quote as what was expected.
 */

/** Tokens of `[A-Za-z0-9_-]+` joined by dots, as in the topic grammar of docs/protocol.md. */
const TOPIC_PREFIX_PATTERN = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$'
/** A topic pattern: tokens or `*`, optionally ending in `>` (one or more trailing tokens). */
const TOPIC_PATTERN_PATTERN = '^(>|([A-Za-z0-9_-]+|\\*)(\\.([A-Za-z0-9_-]+|\\*))*(\\.>)?)$'
/** The ZeroMQ transports fedmsg speaks; `tcp://` needs a host (`*`, a name, an IPv4 or `[IPv6]`) and a port. */
const ZMQ_ADDRESS_PATTERN =
  '^(tcp://(\\*|\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):([0-9]{1,5}|\\*)|ipc://.+|inproc://.+)$'
/** 32-byte CURVE keys are 40 characters of the Z85 alphabet (ZeroMQ RFC 32). */
const Z85_KEY_PATTERN = '^[0-9A-Za-z.:+=^!/*?&<>()\\[\\]{}@%$#-]{40}$'
const HOST_PORT_PATTERN = '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):[0-9]{1,5}$'
const SERVICE_NAME_PATTERN = '^[A-Za-z0-9_-]+$'

const positiveInteger = { type: 'integer', minimum: 1 } as const
const nonNegativeInteger = { type: 'integer', minimum: 0 } as const
const path = { type: 'string', minLength: 1 } as const
const paths = { type: 'array', items: path } as const

const curveRole = {
  type: 'object',
  additionalProperties: false,
  required: ['public_key', 'secret_key'],
  properties: {
    public_key: { $ref: '#/$defs/z85Key' },
    secret_key: { $ref: '#/$defs/z85Key' },
    allowed_clients: { type: 'array', items: { $ref: '#/$defs/z85Key' } },
    server_key: { $ref: '#/$defs/z85Key' },
  },
} as const

const PROPERTIES = {
  environment: { enum: ['dev', 'stg', 'prod'] },
  topic_prefix: { $ref: '#/$defs/topicPrefix' },
  endpoints: {
    type: 'object',
    propertyNames: { $ref: '#/$defs/serviceName' },
    additionalProperties: {
      type: 'array',
      minItems: 1,
      items: { $ref: '#/$defs/zmqAddress' },
    },
  },
  relay_inbound: { $ref: '#/$defs/zmqAddress' },
  relay_outbound: { $ref: '#/$defs/zmqAddress' },
  active: { type: 'boolean' },
  trust: paths,
  crl: paths,
  certs: {
    type: 'object',
    propertyNames: { $ref: '#/$defs/serviceName' },
    additionalProperties: {
      type: 'object',
      additionalProperties: false,
      required: ['cert', 'key'],
      properties: { cert: path, key: path, passphrase_file: path },
    },
  },
  routing_policy: path,
  schemas: {
    type: 'object',
    propertyNames: { $ref: '#/$defs/topicPattern' },
    additionalProperties: path,
  },
  max_message_bytes: positiveInteger,
  max_age_seconds: positiveInteger,
  clock_skew_seconds: nonNegativeInteger,
  high_water_mark: positiveInteger,
  hwm_mode: { enum: ['wait', 'throw'] },
  linger_ms: nonNegativeInteger,
  reconnect_ivl_ms: positiveInteger,
  heartbeat_interval_ms: positiveInteger,
  verify_workers: {
    type: ['integer', 'string'],
    description: 'an integer >= 0 or "auto"',
    minimum: 0,
    pattern: '^auto$',
  },
  state_dir: path,
  replay_fsync: { type: 'boolean' },
  consumers: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['module'],
      properties: {
        module: path,
        topic: {
          type: ['string', 'array'],
          description: 'a topic pattern or a non-empty array of them',
          pattern: TOPIC_PATTERN_PATTERN,
          minItems: 1,
          items: { $ref: '#/$defs/topicPattern' },
        },
        timeout_ms: positiveInteger,
        queue_size: positiveInteger,
      },
    },
  },
  summary_processors: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['module'],
      properties: { module: path },
    },
  },
  metrics_address: { $ref: '#/$defs/hostPort' },
  derived: {
    type: 'object',
    additionalProperties: false,
    required: ['service'],
    properties: {
      service: { $ref: '#/$defs/serviceName' },
      max_depth: { type: 'integer', minimum: 1, maximum: 16 },
    },
  },
  memcached: {
    type: 'object',
    additionalProperties: false,
    required: ['servers', 'topics'],
    properties: {
      servers: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'string',
          pattern: '^[A-Za-z0-9_.-]+:[0-9]{1,5}$',
          description: 'HOST:PORT, HOST a name or an IPv4 address (memjs takes no IPv6 literal)',
        },
      },
      topics: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['pattern'],
          properties: { pattern: { $ref: '#/$defs/topicPattern' }, keep: positiveInteger },
        },
      },
      key_prefix: {
        type: 'string',
        pattern: '^[\\x21-\\x7e]*$',
        maxLength: 200,
        description: 'printable ASCII without spaces',
      },
      expires_seconds: { type: 'integer', minimum: 0, maximum: 2_592_000 },
      timeout_ms: positiveInteger,
    },
  },
  store: {
    type: 'object',
    additionalProperties: false,
    properties: {
      db: {
        type: 'string',
        pattern: '^(sqlite:.+|postgres(ql)?://.+)$',
        description: 'sqlite:PATH or postgres://USER@HOST:PORT/DATABASE',
      },
    },
  },
  gap_fill: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: {
        type: 'string',
        pattern: '^https?://[^/?#@]+(/[^?#]*)?$',
        description:
          'the http(s) URL of a fedmsg api, without credentials, e.g. http://127.0.0.1:8080',
      },
      max_messages: positiveInteger,
      timeout_ms: positiveInteger,
      max_pending: positiveInteger,
      catch_up: { type: 'boolean' },
    },
  },
  curve: {
    type: 'object',
    additionalProperties: false,
    properties: { server: curveRole, client: curveRole },
  },
  log_level: { enum: ['trace', 'debug', 'info', 'warn', 'error', 'silent'] },
} as const

const DEFS = {
  topicPrefix: {
    type: 'string',
    pattern: TOPIC_PREFIX_PATTERN,
    maxLength: 255,
    description: 'dot-separated tokens of [A-Za-z0-9_-]+, at most 255 characters',
  },
  topicPattern: {
    type: 'string',
    pattern: TOPIC_PATTERN_PATTERN,
    maxLength: 255,
    description: 'a topic pattern: dot-separated tokens or *, optionally ending in >',
  },
  zmqAddress: {
    type: 'string',
    pattern: ZMQ_ADDRESS_PATTERN,
    description: 'a ZeroMQ address tcp://HOST:PORT, ipc://PATH or inproc://NAME',
  },
  z85Key: {
    type: 'string',
    pattern: Z85_KEY_PATTERN,
    description: 'a CURVE key of 40 Z85 characters',
  },
  hostPort: {
    type: 'string',
    pattern: HOST_PORT_PATTERN,
    description: 'HOST:PORT',
  },
  serviceName: {
    type: 'string',
    pattern: SERVICE_NAME_PATTERN,
    description: 'a service name of [A-Za-z0-9_-]+',
  },
} as const

/** Keys every merged configuration holds (DEFAULT_CONFIG provides them all). */
const REQUIRED_KEYS = [
  'environment',
  'topic_prefix',
  'endpoints',
  'trust',
  'crl',
  'certs',
  'schemas',
  'max_message_bytes',
  'max_age_seconds',
  'clock_skew_seconds',
  'high_water_mark',
  'hwm_mode',
  'linger_ms',
  'reconnect_ivl_ms',
  'heartbeat_interval_ms',
  'verify_workers',
  'consumers',
  'log_level',
] as const

/**
 * The schema of a complete, merged fedmsg configuration (JSON Schema draft 2020-12).
 *
 * @example
 * ```ts
 * import { Ajv2020 } from 'ajv/dist/2020.js'
 * const valid = new Ajv2020({ allowUnionTypes: true }).validate(CONFIG_SCHEMA, devDefaults())
 * ```
 */
export const CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://fedmsg.invalid/schemas/config.json',
  title: 'fedmsg configuration',
  type: 'object',
  additionalProperties: false,
  required: REQUIRED_KEYS,
  properties: PROPERTIES,
  $defs: DEFS,
} as const

/** The schema of one `fedmsg.d/*.json` file: the same keys, none required at the top level. */
export const CONFIG_FILE_SCHEMA = {
  ...CONFIG_SCHEMA,
  $id: 'https://fedmsg.invalid/schemas/config-file.json',
  title: 'fedmsg configuration file',
  required: [],
} as const

/** Top-level keys in schema order; the order `fedmsg config` lists them in. */
export const CONFIG_KEYS = Object.keys(PROPERTIES) as readonly (keyof typeof PROPERTIES)[]
