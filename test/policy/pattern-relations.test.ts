import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { topicMatches } from '../../src/crypto/policy/topic-pattern.js'
import { intersectPatterns, patternCovers } from '../../src/policy/pattern-relations.js'
import { pattern, PROPERTY_PARAMETERS, topic } from './policy-arbitraries.js'

describe('patternCovers (docs/protocol.md §1.2)', () => {
  it.each([
    ['a pattern covers itself', 'a.*.b.>', 'a.*.b.>', true],
    ['"*" covers a literal', 'a.*.c', 'a.b.c', true],
    ['a literal does not cover "*"', 'a.b.c', 'a.*.c', false],
    ['">" covers longer fixed patterns', 'a.>', 'a.b.c', true],
    ['">" needs one more token', 'a.>', 'a', false],
    ['">" covers a deeper ">"', 'a.>', 'a.*.>', true],
    ['a deeper ">" does not cover a shallower one', 'a.*.>', 'a.>', false],
    ['a fixed length never covers ">"', 'a.*', 'a.>', false],
    ['lengths differ', 'a.b', 'a.b.c', false],
  ])('%s: %s ⊇ %s is %s', (_name, outer, inner, covers) => {
    expect(patternCovers(outer, inner)).toBe(covers)
  })

  it('agrees with topicMatches: a covered pattern’s topics all match the outer one', () => {
    fc.assert(
      fc.property(pattern, pattern, topic, (outer, inner, t) => {
        if (patternCovers(outer, inner) && topicMatches(inner, t)) {
          expect(topicMatches(outer, t)).toBe(true)
        }
      }),
      PROPERTY_PARAMETERS,
    )
  })
})

describe('intersectPatterns', () => {
  it.each([
    ['a wildcard meets a literal', 'a.*.c.>', 'a.b.>', 'a.b.c.>'],
    ['a ">" meets a fixed length', 'a.>', 'a.b', 'a.b'],
    ['a ">" meets a fixed length of the same token count', 'a.*.>', 'a.b.c', 'a.b.c'],
    ['two ">" keep the longer', 'a.>', '*.b.*.>', 'a.b.*.>'],
    ['different literals share nothing', 'a.b.>', 'a.c.>', undefined],
    ['a fixed length shorter than ">" needs', 'a.*.>', 'a.b', undefined],
    ['two fixed lengths that differ', 'a.b', 'a.b.c', undefined],
  ])('%s: %s ∩ %s = %s', (_name, a, b, both) => {
    expect(intersectPatterns(a, b)).toBe(both)
    expect(intersectPatterns(b, a)).toBe(both)
  })

  it('matches exactly the topics both patterns match', () => {
    fc.assert(
      fc.property(pattern, pattern, topic, (a, b, t) => {
        const both = intersectPatterns(a, b)
        const expected = topicMatches(a, t) && topicMatches(b, t)
        expect(both === undefined ? false : topicMatches(both, t)).toBe(expected)
      }),
      PROPERTY_PARAMETERS,
    )
  })
})
