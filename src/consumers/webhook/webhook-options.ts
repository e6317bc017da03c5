/** Limits and timings of one webhook target, in one place. */
export const WEBHOOK_DEFAULTS = {
  /** POSTs in flight at once to one target. */
  concurrency: 2,
  /** Messages waiting for a slot; beyond it new ones are dropped and counted. */
  queueSize: 1000,
  /** Longest one POST may take, response body included. */
  timeoutMs: 10_000,
  /** Tries after the first one before a message is dead-lettered. */
  retries: 5,
  /** First retry delay; doubled at each failure up to `backoffMaxMs`. */
  backoffMinMs: 500,
  backoffMaxMs: 30_000,
} as const

export interface WebhookTargetOptions {
  /** An `http:` or `https:` URL the messages are POSTed to. */
  readonly url: string
  /** Topic patterns sent to this target (`*` one token, `>` the rest). */
  readonly topics: readonly string[]
  readonly concurrency?: number
  readonly queueSize?: number
  readonly timeoutMs?: number
  readonly retries?: number
  readonly backoffMinMs?: number
  readonly backoffMaxMs?: number
}

export type ResolvedWebhookTarget = Required<WebhookTargetOptions>

/** Applies the defaults; throws a TypeError for a URL that is not http(s) or a limit out of range. */
export function resolveWebhookTarget(options: WebhookTargetOptions): ResolvedWebhookTarget {
  let url: URL
  try {
    url = new URL(options.url)
  } catch {
    throw new TypeError(`webhook: not a URL: ${options.url}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`webhook: only http and https URLs, not ${url.protocol}`)
  }
  if (options.topics.length === 0) throw new TypeError(`webhook: ${options.url} has no topics`)
  const resolved = {
    url: url.href,
    topics: [...options.topics],
    concurrency: options.concurrency ?? WEBHOOK_DEFAULTS.concurrency,
    queueSize: options.queueSize ?? WEBHOOK_DEFAULTS.queueSize,
    timeoutMs: options.timeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs,
    retries: options.retries ?? WEBHOOK_DEFAULTS.retries,
    backoffMinMs: options.backoffMinMs ?? WEBHOOK_DEFAULTS.backoffMinMs,
    backoffMaxMs: options.backoffMaxMs ?? WEBHOOK_DEFAULTS.backoffMaxMs,
  }
  for (const key of ['concurrency', 'queueSize', 'timeoutMs', 'backoffMinMs'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1) {
      throw new TypeError(`webhook: ${key} must be a positive integer, not ${resolved[key]}`)
    }
  }
  if (!Number.isSafeInteger(resolved.retries) || resolved.retries < 0) {
    throw new TypeError(`webhook: retries must be 0 or more, not ${resolved.retries}`)
  }
  if (resolved.backoffMaxMs < resolved.backoffMinMs) {
    throw new TypeError('webhook: backoffMaxMs must be at least backoffMinMs')
  }
  return resolved
}
