/**
 * parseCanonicalJson answers most texts with JSON.stringify instead of json-canonicalize, and searches strings
 * for lone surrogates only when the text holds a `\u` escape (both for speed, bench/README.md). These tests
 * pin that it still accepts and refuses exactly what the plain definition does: parse, serialize with
 * json-canonicalize, compare the bytes, then refuse lone surrogates and `toJSON` members.
 */
import fc from 'fast-check'
import { canonicalize } from 'json-canonicalize'
import { describe, expect, it } from 'vitest'
import { parseCanonicalJson } from '../../src/crypto/canonical.js'
import { Rejection } from '../../src/errors.js'

const LONE_SURROGATE = /[\ud800-\udfff]/u
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function hasHazard(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value)
  if (Array.isArray(value)) return value.some(hasHazard)
  if (typeof value !== 'object' || value === null) return false
  return Object.entries(value).some(
    ([key, member]) => LONE_SURROGATE.test(key) || key === 'toJSON' || hasHazard(member),
  )
}

/** The rule by its definition, the way the verifier applied it before the fast path. */
function acceptedByDefinition(bytes: Buffer): boolean {
  try {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return false
    const parsed: unknown = JSON.parse(strictUtf8.decode(bytes))
    return Buffer.from(canonicalize(parsed), 'utf8').equals(bytes) && !hasHazard(parsed)
  } catch {
    return false
  }
}

function accepted(bytes: Buffer): boolean {
  try {
    parseCanonicalJson(bytes)
    return true
  } catch (error) {
    expect(error).toBeInstanceOf(Rejection)
    expect((error as Rejection).reason).toBe('malformed')
    return false
  }
}

// Characters that matter here: index-like names, escapes, quotes, surrogates alone and paired, controls.
const unit = fc.constantFrom(
  'a',
  'b',
  '0',
  '1',
  '9',
  '\\',
  'u',
  '"',
  '\u0001',
  '\u007f',
  'é',
  '\u2028',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  'toJSON',
  '__proto__',
)
const jsonValue = fc.jsonValue({ stringUnit: unit, maxDepth: 4 })

describe('parseCanonicalJson agrees with the definition of canonical form', () => {
  it('on the canonical text of any value', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const bytes = Buffer.from(canonicalize(value), 'utf8')
        expect(accepted(bytes)).toBe(acceptedByDefinition(bytes))
      }),
      { numRuns: 2000 },
    )
  })

  it('on texts in insertion order, with whitespace, or with a member repeated', () => {
    fc.assert(
      fc.property(jsonValue, fc.constantFrom(0, 1, 2), (value, variant) => {
        const text =
          variant === 0
            ? JSON.stringify(value)
            : variant === 1
              ? JSON.stringify(value, null, 1)
              : JSON.stringify(value).replace(/^\{("[^"]*":\d+),/, '{$1,$1,')
        const bytes = Buffer.from(text, 'utf8')
        expect(accepted(bytes)).toBe(acceptedByDefinition(bytes))
      }),
      { numRuns: 2000 },
    )
  })
})

describe('parseCanonicalJson on the cases the fast path treats apart', () => {
  it.each([
    ['names that are array indexes, in JCS order', '{"10":1,"9":2}', true],
    ['names that are array indexes, in numeric order', '{"9":2,"10":1}', false],
    ['an escaped backslash before "ud800", which is no escape', '{"a":"\\\\ud800"}', true],
    ['a lone surrogate after another escape', '{"a":"\\u0001","b":"\\udbff"}', false],
    ['a lone surrogate in a name with no other escape', '{"\\udbff":1}', false],
    ['a surrogate pair written as UTF-8', '{"a":"😀"}', true],
    ['1e400, which JSON.stringify would write as null', '{"a":1e400}', false],
  ])('%s', (_name, text, expected) => {
    const bytes = Buffer.from(text, 'utf8')
    expect(acceptedByDefinition(bytes)).toBe(expected)
    expect(accepted(bytes)).toBe(expected)
  })
})
