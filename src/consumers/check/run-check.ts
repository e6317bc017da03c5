import { UsageError } from '../../errors.js'
import { CHECK_DEFAULTS, type CheckThresholds } from './check-options.js'
import { evaluateHealth, type CheckResult } from './evaluate-health.js'

/** Most bytes of /metrics read: a hub's page is a few kB; anything far larger is not one. */
const MAX_METRICS_BYTES = 4 * 1024 * 1024

export interface RunCheckOptions extends CheckThresholds {
  /** The component's metrics address, `http://HOST:PORT` (its `metrics_address`). */
  readonly url: string
  /** For both requests together; default 10 s. */
  readonly timeoutMs?: number
}

/**
 * `fedmsg check`: asks `URL/healthz` and `URL/metrics` and judges the answers. An address that does not answer
 * (refused, unreachable, too slow) is CRITICAL. Throws UsageError only for a URL that is not http(s).
 *
 * @example
 * ```ts
 * const { state, line } = await runCheck({ url: 'http://127.0.0.1:9464', dropsWarning: 10 })
 * ```
 */
export async function runCheck(options: RunCheckOptions): Promise<CheckResult> {
  const base = parseBase(options.url)
  const signal = AbortSignal.timeout(options.timeoutMs ?? CHECK_DEFAULTS.timeoutMs)
  let answer: { healthz: number; metrics: string }
  try {
    const healthz = await fetch(new URL('healthz', base), { signal })
    await healthz.body?.cancel()
    const metrics = await fetch(new URL('metrics', base), { signal })
    answer = { healthz: healthz.status, metrics: metrics.ok ? await readBounded(metrics) : '' }
  } catch (error) {
    const why = signal.aborted
      ? `no answer within ${options.timeoutMs ?? CHECK_DEFAULTS.timeoutMs} ms`
      : describe(error)
    return { state: 'CRITICAL', line: `FEDMSG CRITICAL - ${base.href} unreachable: ${why}` }
  }
  return evaluateHealth(answer, options)
}

function parseBase(url: string): URL {
  let base: URL
  try {
    base = new URL(url.endsWith('/') ? url : `${url}/`)
  } catch {
    throw new UsageError(
      `"${url}" is not a URL: give the metrics address, e.g. http://127.0.0.1:9464`,
    )
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new UsageError(
      `"${url}" is not an http(s) URL: give the metrics address, e.g. http://127.0.0.1:9464`,
    )
  }
  return base
}

async function readBounded(response: Response): Promise<string> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength
    if (size > MAX_METRICS_BYTES)
      throw new Error(`/metrics is larger than ${MAX_METRICS_BYTES} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The innermost cause's message: fetch says only "fetch failed" and keeps ECONNREFUSED in `cause`. */
function describe(error: unknown): string {
  let inner = error
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause
  const text = inner instanceof Error ? inner.message : String(inner)
  return text.replace(/[\p{Cc}]+/gu, ' ').slice(0, 200)
}
