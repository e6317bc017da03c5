import { describe, expect, it } from 'vitest'
import { pythonFloatRepr } from '../../src/legacy/python-float-repr.js'
import {
  dumpPythonJson,
  parsePythonJson,
  PYTHON_MAX_INT_DIGITS,
  PythonJsonError,
} from '../../src/legacy/python-json.js'
import { runPeerScript } from './python-peer.js'

const roundTrip = (text: string): string => dumpPythonJson(parsePythonJson(text))

describe('Python json.dumps(sort_keys, compact, ensure_ascii) of what json.loads read', () => {
  it.each([
    ['1.0', '1.0'],
    ['100', '100'],
    ['1E2', '100.0'],
    ['1.50', '1.5'],
    ['1e16', '1e+16'],
    ['1e15', '1000000000000000.0'],
    ['0.0001', '0.0001'],
    ['0.00001', '1e-05'],
    ['-0.0', '-0.0'],
    ['-0', '0'],
    ['1e400', 'Infinity'],
    ['-1e400', '-Infinity'],
    ['12345678901234567890123', '12345678901234567890123'],
    ['1.5e300', '1.5e+300'],
    ['5e-324', '5e-324'],
  ])('number %s is written %s', (literal, written) => {
    expect(roundTrip(`[${literal}]`)).toBe(`[${written}]`)
  })

  it('escapes everything outside space..~ per UTF-16 code unit and sorts keys by code point', () => {
    const text = '{"\\uffff":1,"\\ud83d\\ude00":2,"b":"é\\u007f\\ud800\\t\\"/","a":[true,null]}'
    expect(roundTrip(text)).toBe(
      '{"a":[true,null],"b":"\\u00e9\\u007f\\ud800\\t\\"/","\\uffff":1,"\\ud83d\\ude00":2}',
    )
  })

  it('keeps "__proto__" as an ordinary key', () => {
    expect(roundTrip('{"__proto__":{"x":1}}')).toBe('{"__proto__":{"x":1}}')
  })

  it.each([
    ['NaN literal', '[NaN]'],
    ['raw control character', '["a\tb"]'],
    ['trailing text', '{} x'],
    ['duplicate key with another value', '{"a":1,"a":2}'],
    ['an integer Python 3.11 refuses to read', `[${'9'.repeat(PYTHON_MAX_INT_DIGITS + 1)}]`],
  ])('refuses %s', (_name, text) => {
    expect(() => parsePythonJson(text)).toThrow(PythonJsonError)
  })

  it('reads an integer of the most digits Python reads', () => {
    const digits = '9'.repeat(PYTHON_MAX_INT_DIGITS)
    expect(roundTrip(`[-${digits}]`)).toBe(`[-${digits}]`)
  })

  it('writes what Python writes for 3000 random JSON texts (differential, real Python json module)', () => {
    const cases = runPeerScript<{ text: string; python: string }>('json-roundtrip.py', [
      '17',
      '3000',
    ])
    expect(cases).toHaveLength(3000)
    const differing = cases.filter(({ text, python }) => roundTrip(text) !== python)
    expect(differing).toEqual([])
  })

  it('lays out random doubles as repr does', () => {
    const view = new DataView(new ArrayBuffer(8))
    for (let n = 0; n < 2000; n++) {
      view.setUint32(0, (n * 2654435761) >>> 0)
      view.setUint32(4, (n * 40503 + 12345) >>> 0)
      const value = view.getFloat64(0)
      const repr = pythonFloatRepr(value)
      if (Number.isFinite(value)) expect(Number(repr)).toBe(value)
    }
  })
})
