/**
 * The single-pass canonical scan, one rule per case (RFC 8785 as docs/protocol.md §2.1 applies it). The
 * differential fuzz (test/fuzz/canonical-scan.test.ts) checks it against the definition on a million texts;
 * these cases pin each rule by name.
 */
import { describe, expect, it } from 'vitest'
import { MAX_NESTING_DEPTH, scanCanonical } from '../../src/crypto/canonical-scan.js'
import { serializePlainJson } from '../../src/crypto/canonical-serializer.js'

const nest = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

const CASES: readonly [rule: string, text: string, accepted: boolean][] = [
  ['an empty object', '{}', true],
  ['an empty array', '[]', true],
  ['a scalar at the top', '"x"', true],
  ['members in UTF-16 order', '{"B":1,"a":2,"é":3,"😀":4,"｡":5}', true],
  ['a name that is a prefix sorts first', '{"a":1,"ab":2}', true],
  ['members out of order (§3.2.3)', '{"b":1,"a":2}', false],
  ['a longer name before its prefix', '{"ab":1,"a":2}', false],
  ['a repeated member', '{"a":1,"a":2}', false],
  ['index-like names in JCS order, not numeric', '{"10":1,"9":2}', true],
  ['index-like names in numeric order', '{"9":1,"10":2}', false],
  ['names with escapes compared as parsed', '{"\\u0001":1,"\\"":2,"\\\\":3}', true],
  ['names with escapes out of order', '{"\\\\":1,"\\"":2}', false],
  ['a member named toJSON', '{"toJSON":1}', false],
  ['a member named toJSONx', '{"toJSONx":1}', true],
  ['the short escapes (§3.2.2.2)', '["\\b\\t\\n\\f\\r\\"\\\\"]', true],
  ['a control escaped \\u00xx in lower case', '["\\u0000\\u000b\\u001f"]', true],
  ['a control with a short form written \\u0008', '["\\u0008"]', false],
  ['upper-case hex', '["\\u001F"]', false],
  ['an escaped letter', '["\\u0041"]', false],
  ['an escaped slash', '["\\/"]', false],
  ['DEL escaped', '["\\u007f"]', false],
  ['an unknown escape', '["\\x41"]', false],
  ['a raw control', '["\u0001"]', false],
  ['a surrogate pair as itself', '["😀"]', true],
  ['an escaped surrogate pair', '["\\ud83d\\ude00"]', false],
  ['an escaped lone surrogate (refused by fedmsg)', '["\\ud800"]', false],
  ['a raw lone high surrogate', '["\ud800x"]', false],
  ['a raw lone low surrogate', '["\udc00"]', false],
  ['an unterminated string', '["abc', false],
  ['integers', '[0,-1,123456789012345,9007199254740992]', true],
  ['-0', '[-0]', false],
  ['a leading zero', '[01]', false],
  ['a 16-digit integer that rounds', '[9007199254740993]', false],
  [
    'fractions and exponents as Number::toString writes them',
    '[0.5,-1.25,1e+21,1e-7,5e-324]',
    true,
  ],
  ['1e21 without its plus', '[1e21]', false],
  ['an upper-case exponent', '[1E+21]', false],
  ['a trailing zero', '[1.0]', false],
  ['1e400 (Infinity)', '[1e400]', false],
  ['a bare minus', '[-]', false],
  ['the literals', '[true,false,null]', true],
  ['a misspelt literal', '[nul]', false],
  ['whitespace', '{"a": 1}', false],
  ['whitespace at the end', '{"a":1} ', false],
  ['a trailing comma in an array', '[1,]', false],
  ['a trailing comma in an object', '{"a":1,}', false],
  ['a missing colon', '{"a"1}', false],
  ['a missing comma between elements', '[1;2]', false],
  ['a missing comma between members', '{"a":1;"b":2}', false],
  ['a name that is not a string', '{a:1}', false],
  ['a second value', '{}{}', false],
  ['an empty text', '', false],
  [`nesting at the limit (${MAX_NESTING_DEPTH})`, nest(MAX_NESTING_DEPTH), true],
  ['nesting past the limit', nest(MAX_NESTING_DEPTH + 1), false],
  [
    'an empty object past the limit',
    `${'['.repeat(MAX_NESTING_DEPTH)}{}${']'.repeat(MAX_NESTING_DEPTH)}`,
    false,
  ],
]

describe('scanCanonical', () => {
  it.each(CASES)('%s → %s', (_rule, text, accepted) => {
    expect(scanCanonical(text, 0)).toBe(accepted)
  })

  it('counts the levels above the value (msg sits one below the envelope)', () => {
    expect(scanCanonical(nest(MAX_NESTING_DEPTH - 1), 1)).toBe(true)
    expect(scanCanonical(nest(MAX_NESTING_DEPTH), 1)).toBe(false)
  })
})

describe('serializePlainJson', () => {
  it('writes members sorted, arrays in order, primitives as JSON.stringify does', () => {
    expect(serializePlainJson({ b: [1, 'x', true, null, -0], a: { d: 1e21, c: 'é\u0001' } })).toBe(
      '{"a":{"c":"é\\u0001","d":1e+21},"b":[1,"x",true,null,0]}',
    )
  })

  it('writes an object without a prototype like any other', () => {
    expect(serializePlainJson(Object.assign(Object.create(null) as object, { a: 1 }))).toBe(
      '{"a":1}',
    )
  })

  it.each([
    ['NaN', NaN],
    ['a symbol', Symbol('s')],
    ['a Date', new Date(0)],
    ['a hole', [1, , 2]], // eslint-disable-line no-sparse-arrays
  ])('leaves %s to json-canonicalize', (_name, input) => {
    expect(serializePlainJson({ a: input })).toBeUndefined()
  })
})
