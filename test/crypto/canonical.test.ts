import { describe, expect, it } from 'vitest'
import { canonicalBytes, parseCanonicalJson } from '../../src/crypto/canonical.js'
import { Rejection } from '../../src/errors.js'

const bytes = (text: string) => Buffer.from(text, 'utf8')
const float = (hex: string) => Buffer.from(hex, 'hex').readDoubleBE(0)

function reasonOf(input: Uint8Array): string | undefined {
  try {
    parseCanonicalJson(input)
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(Rejection)
    return (error as Rejection).reason
  }
}

describe('RFC 8785 canonicalization', () => {
  it('serializes the sample object of RFC 8785 §3.2.4', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`
    expect(canonicalBytes(JSON.parse(input)).toString('utf8')).toBe(expected)
  })

  it('sorts members by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = String.raw`{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}`
    const output = canonicalBytes(JSON.parse(input)).toString('utf8')
    const order = ['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']
    const positions = order.map((key) => output.indexOf(`"${key}":`))
    expect(positions.every((p) => p > 0)).toBe(true)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
  })

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their serialization.
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['41b3de4355555553', '333333333.3333332'],
  ])('serializes the double 0x%s as %s (Appendix B)', (hex, expected) => {
    expect(canonicalBytes(float(hex)).toString('utf8')).toBe(expected)
  })

  it.each(['7ff0000000000000', '7fffffffffffffff'])(
    'refuses the non-finite double 0x%s (Appendix B)',
    (hex) => {
      expect(() => canonicalBytes(float(hex))).toThrow()
    },
  )
})

describe('parseCanonicalJson', () => {
  it('returns the value of a canonical text', () => {
    expect(parseCanonicalJson(bytes('{"a":[1,"x",null],"b":{"c":true}}'))).toEqual({
      a: [1, 'x', null],
      b: { c: true },
    })
  })

  it.each([
    ['whitespace', '{"a": 1}'],
    ['member order', '{"b":1,"a":1}'],
    ['an escaped plain character', '{"a":"\\u0041"}'],
    ['a duplicate member', '{"a":1,"a":1}'],
    ['-0', '{"a":-0}'],
    ['1e21 spelled without +', '{"a":1e21}'],
    ['1.0', '{"a":1.0}'],
    ['1e400 (infinite as a double)', '{"a":1e400}'],
    ['2^53 + 1', '{"a":9007199254740993}'],
    ['a trailing newline', '{"a":1}\n'],
    ['trailing data', '{"a":1}{}'],
    ['an escaped lone surrogate in a value', '{"a":"\\ud800"}'],
    ['an escaped lone surrogate in a name', '{"\\udc00":1}'],
    ['a member named toJSON', '{"toJSON":1}'],
    ['a nested member named toJSON', '{"a":[{"toJSON":null}]}'],
    ['not JSON', '{"a":'],
    ['an empty input', ''],
  ])('refuses %s as malformed', (_name, text) => {
    expect(reasonOf(bytes(text))).toBe('malformed')
  })

  it('refuses a UTF-8 byte order mark', () => {
    expect(reasonOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('{"a":1}')]))).toBe(
      'malformed',
    )
  })

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ])('refuses invalid UTF-8: %s', (_name, invalid) => {
    const input = Buffer.concat([bytes('{"a":"'), Buffer.from(invalid), bytes('"}')])
    expect(reasonOf(input)).toBe('malformed')
  })

  it('accepts non-ASCII text and surrogate pairs written as UTF-8', () => {
    expect(parseCanonicalJson(bytes('{"a":"€😀"}'))).toEqual({ a: '€😀' })
  })

  it('keeps a "__proto__" member as plain data, never as a prototype', () => {
    const value = parseCanonicalJson(bytes('{"__proto__":{"polluted":true}}')) as Record<
      string,
      unknown
    >
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(canonicalBytes(value).toString('utf8')).toBe('{"__proto__":{"polluted":true}}')
  })

  it('turns nesting deep enough to exhaust the stack into malformed instead of throwing', () => {
    const depth = 200_000
    expect(reasonOf(bytes('['.repeat(depth) + ']'.repeat(depth)))).toBe('malformed')
  })
})
