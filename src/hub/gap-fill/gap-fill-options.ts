import type { FedmsgConfig } from '../../config/config-types.js'
import { ConfigInvalid } from '../../errors.js'

/** A hub's gap fill, resolved. */
export interface GapFillOptions {
  /** The store's `fedmsg api`, e.g. `http://127.0.0.1:8080`. */
  readonly url: string
  /** Most envelopes one request asks for (a longer gap is filled from its start, the rest stays missing). */
  readonly maxMessages: number
  /** How long one request may take, connection and body included. */
  readonly timeoutMs: number
  /** Gap requests waiting while one is in flight; past it a gap is not filled (counted). */
  readonly maxPending: number
  /** At start, fetch what the store holds within max_age_seconds (the replay journal refuses what was seen). */
  readonly catchUp: boolean
  /** Nothing older is asked for: it would be refused as `stale` (max_age_seconds). */
  readonly maxAgeMs: number
  /** The hub receives `<topic_prefix>.` only: a stored message outside it is not submitted either. */
  readonly topicPrefix: string
}

/** The defaults of `gap_fill`, in one place. */
export const GAP_FILL_DEFAULTS = Object.freeze({
  maxMessages: 1000,
  timeoutMs: 5000,
  maxPending: 64,
  catchUp: true,
})

/**
 * The hub's gap fill from its configuration, or undefined when `gap_fill` is absent. Throws ConfigInvalid
 * for a url that does not parse or carries credentials (never quoting it).
 *
 * @example
 * ```ts
 * resolveGapFillOptions({ ...config, gap_fill: { url: 'http://127.0.0.1:8080' } })?.maxMessages // 1000
 * ```
 */
export function resolveGapFillOptions(config: FedmsgConfig): GapFillOptions | undefined {
  const given = config.gap_fill
  if (given === undefined) return undefined
  // The schema refuses these; a config built in code skips it, and fetch would then quote the whole URL
  // (password included) in the error the hub logs.
  const url = URL.canParse(given.url) ? new URL(given.url) : undefined
  if (url === undefined || url.username !== '' || url.password !== '') {
    throw new ConfigInvalid(
      'gap_fill.url must be the http(s) URL of a fedmsg api without credentials: give it without user or password',
      { key: 'gap_fill' },
    )
  }
  return {
    url: given.url.replace(/\/+$/, ''),
    maxMessages: given.max_messages ?? GAP_FILL_DEFAULTS.maxMessages,
    timeoutMs: given.timeout_ms ?? GAP_FILL_DEFAULTS.timeoutMs,
    maxPending: given.max_pending ?? GAP_FILL_DEFAULTS.maxPending,
    catchUp: given.catch_up ?? GAP_FILL_DEFAULTS.catchUp,
    maxAgeMs: config.max_age_seconds * 1000,
    topicPrefix: config.topic_prefix,
  }
}
