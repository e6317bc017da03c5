import { describe, expect, it } from 'vitest'
import { LATENCY_BUCKETS_MS, LatencyHistogram } from '../../src/metrics/latency-histogram.js'

describe('LatencyHistogram', () => {
  it('counts cumulatively per bucket, Prometheus style', () => {
    const histogram = new LatencyHistogram()
    for (const ms of [0.05, 0.1, 0.3, 2, 1000]) histogram.observe(ms)
    const snapshot = histogram.snapshot()
    expect(snapshot.bucketsMs).toEqual(LATENCY_BUCKETS_MS)
    expect(snapshot.counts.slice(0, 6)).toEqual([2, 2, 3, 3, 4, 4])
    expect(snapshot.counts.at(-1)).toBe(4)
    expect(snapshot.count).toBe(5)
    expect(snapshot.sumMs).toBeCloseTo(1002.45)
  })
})
