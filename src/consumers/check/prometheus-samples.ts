/**
 * The samples of a Prometheus text exposition (format 0.0.4), as `fedmsg hub`, `relay` and `trigger` serve
 * it: `name{labels} value` lines; comments and lines that do not parse are skipped.
 *
 * @example
 * ```ts
 * new PrometheusSamples('x_total{reason="a"} 2\nx_total{reason="b"} 3\n').sum('x_total') // 5
 * ```
 */
export class PrometheusSamples {
  readonly #byName = new Map<string, number[]>()

  constructor(text: string) {
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{.*\})?\s+(\S+)/.exec(line)
      if (match === null) continue
      const value = Number(match[2])
      if (Number.isNaN(value)) continue
      const values = this.#byName.get(match[1]!) ?? []
      values.push(value)
      this.#byName.set(match[1]!, values)
    }
  }

  has(name: string): boolean {
    return this.#byName.has(name)
  }

  /** The sum of every sample of `name` (all label values), 0 when there is none. */
  sum(name: string): number {
    return (this.#byName.get(name) ?? []).reduce((total, value) => total + value, 0)
  }
}
