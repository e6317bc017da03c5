/**
 * Differential fuzz of the signer's serializer (src/crypto/canonical-serializer.ts) against json-canonicalize:
 * on every plain JSON value both write the same text, and every value JSON.parse returns is plain unless it
 * holds a member named `toJSON`. Values that are not plain are left to json-canonicalize (undefined).
 *
 *   npx vitest run test/fuzz/canonical-serializer.test.ts   # CI: 300 values per property
 *   npm run fuzz:canonical                                    # with the scan's 1,000,000 texts
 */
import fc from 'fast-check'
import { canonicalize } from 'json-canonicalize'
import { describe, expect, it } from 'vitest'
import { MAX_NESTING_DEPTH } from '../../src/crypto/canonical-scan.js'
import { serializePlainJson } from '../../src/crypto/canonical-serializer.js'
import { FUZZ_PARAMETERS, FUZZ_TIMEOUT_MS } from './fuzz-kit.js'
import { jsonText } from './json-text-arbitraries.js'

const unit = fc.oneof(
  fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00', '😀', 'é'),
  fc.constantFrom('a', 'b', '1', '10', '9', '__proto__'),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
)
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(-0, 1e21, 1e-7, 2 ** 53, 2 ** 53 + 2, 5e-324, Number.MAX_VALUE),
)
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit }),
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit, maxLength: 3 }), tie('value'), { maxKeys: 5 }),
    fc
      .dictionary(fc.string({ unit, maxLength: 3 }), tie('value'), { maxKeys: 5 })
      .map((members) => Object.assign(Object.create(null) as object, members)),
  ),
}))

/** How deep arrays and objects nest in a parsed value (a scalar is 0); iterative. */
function depthOf(root: unknown): number {
  let deepest = 0
  const pending: [unknown, number][] = [[root, 0]]
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [value, depth] = item
    if (typeof value !== 'object' || value === null) continue
    deepest = Math.max(deepest, depth + 1)
    for (const member of Object.values(value)) pending.push([member, depth + 1])
  }
  return deepest
}

/** The value JSON.parse returns for a generated text, when it parses. */
function parsedOrUndefined(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return undefined
  }
}

describe('fuzz: the signer serializer writes what json-canonicalize writes', () => {
  it('on generated plain values', { timeout: FUZZ_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(serializePlainJson(v)).toBe(canonicalize(v))
      }),
      FUZZ_PARAMETERS,
    )
  })

  it('on what JSON.parse returns for the scan fuzz texts', { timeout: FUZZ_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const parsed = parsedOrUndefined(text)
        if (parsed === undefined || text.includes('toJSON')) return
        let expected: string
        try {
          expected = canonicalize(parsed.value)
        } catch {
          return // 1e400: Infinity is not plain, checked below
        }
        const written = serializePlainJson(parsed.value)
        // Beyond the protocol's nesting limit the value is left to json-canonicalize (and refused later).
        if (written === undefined) expect(depthOf(parsed.value)).toBeGreaterThan(MAX_NESTING_DEPTH)
        else expect(written).toBe(expected)
      }),
      FUZZ_PARAMETERS,
    )
  })

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a bigint', 1n],
    ['Infinity', Infinity],
    ['NaN', NaN],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a class instance', new (class Point {})()],
    ['an undefined member', { a: undefined }],
    ['a hole', [1, , 2]], // eslint-disable-line no-sparse-arrays
    ['a member named toJSON', { toJSON: 1 }],
    ['a toJSON method', { toJSON: () => 1 }],
    ['an array subclass', new (class List extends Array {})()],
  ])('leaves %s to json-canonicalize', (_name, input) => {
    expect(serializePlainJson({ a: [input] })).toBeUndefined()
  })

  it('leaves a cycle to json-canonicalize, which refuses it', () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(serializePlainJson(cycle)).toBeUndefined()
    expect(() => canonicalize(cycle)).toThrow(/Circular/)
  })
})
