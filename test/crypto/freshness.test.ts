import { describe, expect, it } from 'vitest'
import { assertFresh, type FreshnessRules } from '../../src/crypto/envelope/freshness.js'

const NOW = 1_700_000_000_000
const rules: FreshnessRules = { maxAgeMs: 300_000, clockSkewMs: 30_000, notBeforeMs: undefined }

function verdict(timestamp: number, overrides: Partial<FreshnessRules> = {}): string {
  try {
    assertFresh(timestamp, NOW, { ...rules, ...overrides })
    return 'fresh'
  } catch (error) {
    return (error as { reason: string }).reason
  }
}

describe('freshness (docs/protocol.md §5, checks 6–7)', () => {
  it.each([
    ['exactly max age old', NOW - 300_000, 'fresh'],
    ['1 ms older than max age', NOW - 300_001, 'stale'],
    ['exactly skew ahead', NOW + 30_000, 'fresh'],
    ['1 ms further ahead than skew', NOW + 30_001, 'future'],
    ['stamped now', NOW, 'fresh'],
  ])('%s → %s', (_name, timestamp, expected) => {
    expect(verdict(timestamp)).toBe(expected)
  })

  it('maxAgeMs null accepts any age', () => {
    expect(verdict(0, { maxAgeMs: null })).toBe('fresh')
  })

  it('notBeforeMs refuses messages stamped before it as replays: stamped exactly notBeforeMs is fresh', () => {
    const notBeforeMs = NOW - 10_000
    expect(verdict(notBeforeMs, { notBeforeMs })).toBe('fresh')
    expect(verdict(notBeforeMs - 1, { notBeforeMs })).toBe('replay')
  })

  it('bug: the restart floor allowed the skew, so a message stamped up to 30 s before the start was accepted again', () => {
    expect(verdict(NOW - 30_000, { notBeforeMs: NOW })).toBe('replay')
    expect(verdict(NOW - 1, { notBeforeMs: NOW })).toBe('replay')
  })

  it('checks staleness before the restart floor', () => {
    expect(verdict(NOW - 400_000, { notBeforeMs: NOW })).toBe('stale')
  })
})
