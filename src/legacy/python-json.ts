import { isLosslessNumber, parse, type LosslessNumber } from 'lossless-json'
import { pythonFloatRepr } from './python-float-repr.js'

/**
 * A JSON number as Python's `json.loads` reads it: an `int` (arbitrary precision, written back as its digits)
 * or a `float` (a double, written back as its repr). Keeping the literal is what lets a legacy signature be
 * checked over the bytes Python signed: JavaScript numbers lose integers past 2^53 and respell floats.
 */
export class PyNumber {
  /** `int`: the decimal digits (with a leading `-`); `float`: the double. */
  constructor(
    readonly kind: 'int' | 'float',
    readonly value: string | number,
  ) {
    Object.freeze(this)
  }
}

/** A JSON value as Python's `json.loads` returns it. */
export type PyValue = null | boolean | string | PyNumber | readonly PyValue[] | PyObject

/** A JSON object; a null prototype, so that no key (`__proto__` included) is special. */
export interface PyObject {
  readonly [key: string]: PyValue
}

/**
 * Python 3.11+ refuses to read an int of more digits than this (sys.int_info.default_max_str_digits): such a
 * message never validated in Python fedmsg, so it does not here either.
 */
export const PYTHON_MAX_INT_DIGITS = 4300

/** Why a text is not JSON that Python fedmsg would have read. */
export class PythonJsonError extends Error {}

function readNumber(literal: string): PyNumber {
  if (/[.eE]/.test(literal)) return new PyNumber('float', Number(literal))
  const digits = literal.replace(/^-0$/, '0')
  if (digits.replace('-', '').length > PYTHON_MAX_INT_DIGITS) {
    throw new PythonJsonError(`an integer has more than ${PYTHON_MAX_INT_DIGITS} digits`)
  }
  return new PyNumber('int', digits)
}

/**
 * Reads one JSON text the way Python's `json.loads` does for what a fedmsg frame can carry: numbers keep their
 * Python type and value, a repeated key keeps its last value. Throws {@link PythonJsonError} on anything else,
 * including the `NaN`/`Infinity` literals, which Python accepts but no JSON producer emits (refused: fail closed).
 *
 * @example
 * ```ts
 * parsePythonJson('{"n":12345678901234567890,"f":1.50}') // n: PyNumber int, f: PyNumber float 1.5
 * ```
 */
export function parsePythonJson(text: string): PyValue {
  try {
    return toPyValue(parse(text, null, (literal: string) => readNumber(literal)))
  } catch (error) {
    if (error instanceof PythonJsonError) throw error
    throw new PythonJsonError(error instanceof Error ? error.message : String(error))
  }
}

// lossless-json builds ordinary objects; copy them onto null prototypes so a key never reaches a prototype.
function toPyValue(value: unknown): PyValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value
  if (isLosslessNumber(value)) return readNumber((value as LosslessNumber).value)
  if (Array.isArray(value)) return value.map(toPyValue)
  if (value instanceof PyNumber) return value
  const object: Record<string, PyValue> = Object.create(null) as Record<string, PyValue>
  for (const [key, child] of Object.entries(value as Record<string, unknown>))
    object[key] = toPyValue(child)
  return object
}

// json.encoder's ESCAPE_ASCII: every character outside space..~ and the two that must be escaped.
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
}

function dumpString(text: string): string {
  // Per UTF-16 code unit: Python writes a non-BMP character as its surrogate pair, a lone surrogate as itself.
  const escaped = text.replace(
    /[^ -~]|["\\]/g,
    (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return `"${escaped}"`
}

// sort_keys sorts Python str, that is by code point; JavaScript's default sort compares UTF-16 code units.
function byCodePoint(a: string, b: string): number {
  const left = [...a]
  const right = [...b]
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!
    if (difference !== 0) return difference
  }
  return left.length - right.length
}

/**
 * Python fedmsg's `fedmsg.encoding.dumps`: `json.dumps(value, sort_keys=True, separators=(',', ':'))`, with
 * ensure_ascii. These are the bytes a legacy signature covers.
 *
 * @example
 * ```ts
 * dumpPythonJson(parsePythonJson('{"b": 1.0, "a": "é"}')) // '{"a":"\\u00e9","b":1.0}'
 * ```
 */
export function dumpPythonJson(value: PyValue): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'string') return dumpString(value)
  if (Array.isArray(value)) return `[${value.map(dumpPythonJson).join(',')}]`
  if (value instanceof PyNumber) {
    return value.kind === 'int' ? String(value.value) : pythonFloatRepr(value.value as number)
  }
  const object = value as PyObject
  const keys = Object.keys(object).sort(byCodePoint)
  return `{${keys.map((key) => `${dumpString(key)}:${dumpPythonJson(object[key]!)}`).join(',')}}`
}
