import { Counter, Gauge, Histogram, type MetricValueWithName, type Registry } from 'prom-client'
import type { LatencyHistogramSnapshot } from './latency-histogram.js'
import type { RejectCounts } from '../verification/reject-counts.js'

/** Labels of one sample, e.g. `{ reason: 'bad_signature' }`. */
export type Labels = Readonly<Record<string, string>>

/** The value(s) of a metric at scrape time; a bare number is a sample without labels. */
export type Samples = number | readonly (readonly [Labels, number])[]

/** One metric whose value is read from a component's `stats()` when Prometheus scrapes. */
export interface SnapshotMetric {
  readonly name: string
  readonly help: string
  /** The label names of `read`'s samples; none for a bare number. */
  readonly labelNames?: readonly string[]
  readonly read: () => Samples
}

// Hubs and relays keep their own counters (stats() is API, and the hot path must not call into prom-client):
// these metrics copy them into prom-client at each scrape, through its documented `collect` hook.

/** Registers a counter whose samples are `read()` at each scrape. */
export function registerSnapshotCounter(registry: Registry, metric: SnapshotMetric): void {
  new Counter({
    name: metric.name,
    help: metric.help,
    labelNames: metric.labelNames ?? [],
    registers: [registry],
    collect() {
      this.reset()
      write(metric.read(), (labels, value) => this.inc(labels, value))
    },
  })
}

/** Registers a gauge whose samples are `read()` at each scrape. */
export function registerSnapshotGauge(registry: Registry, metric: SnapshotMetric): void {
  new Gauge({
    name: metric.name,
    help: metric.help,
    labelNames: metric.labelNames ?? [],
    registers: [registry],
    collect() {
      this.reset()
      write(metric.read(), (labels, value) => this.set(labels, value))
    },
  })
}

/** One sample per reason code, zeros included, so that an alert can name a reason that never fired yet. */
export function samplesByReason(counts: Readonly<RejectCounts>): [Labels, number][] {
  return Object.entries(counts).map(([reason, n]): [Labels, number] => [{ reason }, n])
}

function write(samples: Samples, put: (labels: Labels, value: number) => void): void {
  if (typeof samples === 'number') put({}, samples)
  else for (const [labels, value] of samples) put(labels, value)
}

/**
 * Registers a histogram in seconds whose buckets are the component's own millisecond histogram at each scrape
 * (cumulative `_bucket{le}`, then `le="+Inf"`, `_sum`, `_count`). prom-client's Histogram can only be fed one
 * observation at a time and has no collector hook for precomputed buckets, so this one reports the snapshot.
 */
export function registerSnapshotHistogram(
  registry: Registry,
  metric: { name: string; help: string; read: () => LatencyHistogramSnapshot },
): void {
  registry.registerMetric(new SnapshotHistogram(metric))
}

class SnapshotHistogram extends Histogram {
  readonly #metric: { name: string; help: string; read: () => LatencyHistogramSnapshot }
  /** Never observed: it only supplies the metric's name, help, type and aggregator. */
  readonly #shape: Histogram

  constructor(metric: { name: string; help: string; read: () => LatencyHistogramSnapshot }) {
    super({ name: metric.name, help: metric.help, registers: [] })
    this.#metric = metric
    this.#shape = new Histogram({ name: metric.name, help: metric.help, registers: [] })
  }

  override async get() {
    return { ...(await this.#shape.get()), values: this.#values() }
  }

  /** What prom-client 15's registry formats a histogram from, in preference to get(). */
  getForPromString() {
    return this.get()
  }

  #values(): MetricValueWithName<string>[] {
    const snapshot = this.#metric.read()
    const sample = (suffix: string, value: number, labels = {}) => ({
      metricName: `${this.#metric.name}${suffix}`,
      labels,
      value,
    })
    return [
      ...snapshot.bucketsMs.map((ms, k) =>
        sample('_bucket', snapshot.counts[k] ?? 0, { le: ms / 1000 }),
      ),
      sample('_bucket', snapshot.count, { le: '+Inf' }),
      sample('_sum', snapshot.sumMs / 1000),
      sample('_count', snapshot.count),
    ]
  }
}
