import { describe, expect, it } from 'vitest'
import { ReplayCache } from '../../src/crypto/replay/replay-cache.js'

const T = 1_700_000_000_000

function seen(cache: ReplayCache, id: string, timestamp: number, now: number): boolean {
  try {
    cache.assertUnseen(id, timestamp, now)
    return false
  } catch (error) {
    expect(error).toMatchObject({ reason: 'replay' })
    return true
  }
}

describe('ReplayCache', () => {
  it('refuses a recorded id within the window and forgets it after', () => {
    const cache = new ReplayCache(1_000)
    expect(seen(cache, 'a', T, T)).toBe(false)
    cache.record('a', T, T)
    expect(seen(cache, 'a', T, T + 999)).toBe(true)
    expect(seen(cache, 'a', T, T + 1_000)).toBe(false)
    expect(cache.size).toBe(0)
  })

  it('only remembers ids that were recorded', () => {
    const cache = new ReplayCache(1_000)
    cache.assertUnseen('a', T, T)
    expect(seen(cache, 'a', T, T)).toBe(false)
  })

  it('stays within its cap and refuses messages as old as the ones it forgot', () => {
    const cache = new ReplayCache(Number.POSITIVE_INFINITY, 3)
    for (let n = 0; n < 5; n++) cache.record(`id${n}`, T + n, T + n)
    expect(cache.size).toBe(3)
    // id0 and id1 were forgotten: anything stamped at or before T + 1 may be one of them.
    expect(seen(cache, 'id1', T + 1, T + 10)).toBe(true)
    expect(seen(cache, 'new-but-old', T + 1, T + 10)).toBe(true)
    expect(seen(cache, 'new', T + 2, T + 10)).toBe(false)
    expect(seen(cache, 'id4', T + 4, T + 10)).toBe(true)
  })
})
