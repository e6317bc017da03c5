/** Labels of one sample, e.g. `{ reason: 'bad_signature' }`. */
export type Labels = Readonly<Record<string, string>>

/** One value of a metric; a bare number is a sample without labels. */
export type Samples = number | readonly (readonly [Labels, number])[]

/** The Content-Type of the Prometheus text exposition format this module writes. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/**
 * Writes metrics in the Prometheus text exposition format 0.0.4: per metric a `# HELP` and a `# TYPE` line,
 * then its samples, `name{label="value"} number`. Counter names end in `_total` by convention; histograms
 * get cumulative `_bucket{le=…}` samples ending with `le="+Inf"`, then `_sum` and `_count`.
 *
 * @example
 * ```ts
 * const text = new PrometheusText()
 *   .counter('fedmsg_hub_messages_verified_total', 'Messages that passed every check.', 42)
 *   .toString()
 * ```
 */
export class PrometheusText {
  readonly #lines: string[] = []

  counter(name: string, help: string, samples: Samples): this {
    return this.#metric(name, help, 'counter', samples)
  }

  gauge(name: string, help: string, samples: Samples): this {
    return this.#metric(name, help, 'gauge', samples)
  }

  /** `bounds` are the buckets' upper limits, `cumulative[k]` the observations <= `bounds[k]`. */
  histogram(
    name: string,
    help: string,
    h: { bounds: readonly number[]; cumulative: readonly number[]; count: number; sum: number },
  ): this {
    this.#header(name, help, 'histogram')
    h.bounds.forEach((bound, k) => {
      this.#sample(`${name}_bucket`, { le: String(bound) }, h.cumulative[k] ?? 0)
    })
    this.#sample(`${name}_bucket`, { le: '+Inf' }, h.count)
    this.#sample(`${name}_sum`, {}, h.sum)
    this.#sample(`${name}_count`, {}, h.count)
    return this
  }

  toString(): string {
    return this.#lines.map((line) => `${line}\n`).join('')
  }

  #metric(name: string, help: string, type: 'counter' | 'gauge', samples: Samples): this {
    this.#header(name, help, type)
    if (typeof samples === 'number') this.#sample(name, {}, samples)
    else for (const [labels, value] of samples) this.#sample(name, labels, value)
    return this
  }

  #header(name: string, help: string, type: string): void {
    this.#lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`)
    this.#lines.push(`# TYPE ${name} ${type}`)
  }

  #sample(name: string, labels: Labels, value: number): void {
    const pairs = Object.entries(labels).map(([key, text]) => `${key}="${escapeLabel(text)}"`)
    const suffix = pairs.length === 0 ? '' : `{${pairs.join(',')}}`
    this.#lines.push(`${name}${suffix} ${formatValue(value)}`)
  }
}

/** Label values escape backslash, double quote and line feed (exposition format 0.0.4). */
function escapeLabel(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}
