import { assertValidTopicPattern } from '../../crypto/policy/topic-pattern.js'
import { ConfigInvalid } from '../../errors.js'
import type { MemcachedConfig } from '../../config/config-types.js'

/** Limits and timings of the memcached consumer, in one place. */
export const MEMCACHED_DEFAULTS = {
  /** Keys are `<keyPrefix><topic pattern>`. */
  keyPrefix: 'fedmsg:',
  /** Messages kept per topic pattern, newest first. */
  keep: 20,
  /** Seconds memcached keeps a list that is no longer written; 0: until evicted. */
  expiresSeconds: 0,
  /** Longest one write may wait for memcached's answer. */
  timeoutMs: 1_000,
  /** First wait after a failed write; doubled at each failure up to `retryMaxMs`. */
  retryMinMs: 500,
  retryMaxMs: 30_000,
} as const

/** memcached refuses longer keys (protocol.txt: "the length limit of a key is set at 250 characters"). */
const MAX_KEY_BYTES = 250
/** memcached's longest relative expiry: 30 days. */
const MAX_EXPIRES = 2_592_000
// memjs splits an address at its first colon: no IPv6 literal (a host name that resolves to one works).
const HOST_PORT = /^[A-Za-z0-9_.-]+:[0-9]{1,5}$/

/** One list in memcached: the latest `keep` messages whose topic matches `pattern`. */
export interface MemcachedTopic {
  readonly pattern: string
  readonly keep?: number
}

export interface MemcachedOptions {
  /** `host:port` of each memcached server; keys are spread over them by hash. */
  readonly servers: readonly string[]
  readonly topics: readonly MemcachedTopic[]
  readonly keyPrefix?: string
  readonly expiresSeconds?: number
  readonly timeoutMs?: number
  readonly retryMinMs?: number
  readonly retryMaxMs?: number
}

export interface ResolvedMemcachedOptions extends Required<
  Omit<MemcachedOptions, 'topics' | 'keyPrefix'>
> {
  readonly topics: readonly {
    readonly pattern: string
    readonly keep: number
    readonly key: string
  }[]
}

/**
 * Applies the defaults and names each list's key; throws ConfigInvalid (key `memcached`) for a bad server address, topic
 * pattern or limit, or a key memcached would refuse (the CLI and the config schema check before).
 */
export function resolveMemcachedOptions(options: MemcachedOptions): ResolvedMemcachedOptions {
  if (options.servers.length === 0)
    throw new ConfigInvalid('memcached: at least one server is required', { key: 'memcached' })
  for (const server of options.servers) {
    if (!HOST_PORT.test(server))
      throw new ConfigInvalid(`memcached: ${server} is not HOST:PORT (a name or IPv4 address)`, {
        key: 'memcached',
      })
  }
  if (options.topics.length === 0)
    throw new ConfigInvalid('memcached: at least one topic is required', { key: 'memcached' })
  const keyPrefix = options.keyPrefix ?? MEMCACHED_DEFAULTS.keyPrefix
  // Keys are sent as they are: no space or control character, or memcached would split the command.
  if (!/^[\x21-\x7e]*$/.test(keyPrefix))
    throw new ConfigInvalid('memcached: keyPrefix must be printable ASCII without spaces', {
      key: 'memcached',
    })
  const topics = options.topics.map(({ pattern, keep = MEMCACHED_DEFAULTS.keep }) => {
    assertValidTopicPattern(pattern)
    const key = `${keyPrefix}${pattern}`
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
      throw new ConfigInvalid(`memcached: key ${key} is longer than ${MAX_KEY_BYTES} bytes`, {
        key: 'memcached',
      })
    }
    if (!Number.isSafeInteger(keep) || keep < 1) {
      throw new ConfigInvalid(`memcached: keep must be a positive integer, not ${keep}`, {
        key: 'memcached',
      })
    }
    return { pattern, keep, key }
  })
  if (new Set(topics.map((t) => t.key)).size !== topics.length) {
    throw new ConfigInvalid('memcached: a topic pattern is listed twice', { key: 'memcached' })
  }
  const resolved = {
    servers: [...options.servers],
    topics,
    expiresSeconds: options.expiresSeconds ?? MEMCACHED_DEFAULTS.expiresSeconds,
    timeoutMs: options.timeoutMs ?? MEMCACHED_DEFAULTS.timeoutMs,
    retryMinMs: options.retryMinMs ?? MEMCACHED_DEFAULTS.retryMinMs,
    retryMaxMs: options.retryMaxMs ?? MEMCACHED_DEFAULTS.retryMaxMs,
  }
  for (const key of ['timeoutMs', 'retryMinMs'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1) {
      throw new ConfigInvalid(
        `memcached: ${key} must be a positive integer, not ${resolved[key]}`,
        { key: 'memcached' },
      )
    }
  }
  // memcached reads an expiry past 30 days as a Unix time (protocol.txt), which would expire at once.
  const { expiresSeconds } = resolved
  if (!Number.isSafeInteger(expiresSeconds) || expiresSeconds < 0 || expiresSeconds > MAX_EXPIRES) {
    throw new ConfigInvalid(
      `memcached: expiresSeconds must be 0 to ${MAX_EXPIRES}, not ${expiresSeconds}`,
      { key: 'memcached' },
    )
  }
  if (resolved.retryMaxMs < resolved.retryMinMs) {
    throw new ConfigInvalid('memcached: retryMaxMs must be at least retryMinMs', {
      key: 'memcached',
    })
  }
  return resolved
}

/**
 * The options of a config's `memcached` section (docs/configuration.md), with `overrides` (the command's
 * flags) taking precedence key by key.
 *
 * @example
 * ```ts
 * memcachedOptionsFromConfig(config.memcached, { servers: ['127.0.0.1:11211'] })
 * ```
 */
export function memcachedOptionsFromConfig(
  section: MemcachedConfig | undefined,
  overrides: Partial<MemcachedOptions> = {},
): MemcachedOptions {
  const fromConfig: Partial<Record<keyof MemcachedOptions, unknown>> = {
    servers: section?.servers,
    topics: section?.topics,
    keyPrefix: section?.key_prefix,
    expiresSeconds: section?.expires_seconds,
    timeoutMs: section?.timeout_ms,
  }
  const given = (values: object) =>
    Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined))
  return { servers: [], topics: [], ...given(fromConfig), ...given(overrides) } as MemcachedOptions
}
