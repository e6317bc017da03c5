import { canonicalize } from 'json-canonicalize'
import { Rejection } from '../errors.js'
import { MAX_NESTING_DEPTH, scanCanonical } from './canonical-scan.js'

export { MAX_NESTING_DEPTH }

/** The JSON values fedmsg signs: what `JSON.parse` can produce. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const

// With the `u` flag a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /[\ud800-\udfff]/u

// fatal: invalid UTF-8 (including encoded surrogates) throws instead of becoming U+FFFD.
// ignoreBOM: a BOM stays in the text instead of being silently stripped, so the comparison with the canonical form refuses it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * The RFC 8785 (JCS) serialization of `value`. Lone surrogates come out escaped, so the text is well-formed.
 *
 * @example
 * ```ts
 * canonicalText({ b: 1, a: 'x' }) // '{"a":"x","b":1}'
 * ```
 */
export function canonicalText(value: unknown): string {
  return canonicalize(value)
}

/**
 * The RFC 8785 (JCS) serialization of `value`, as UTF-8 bytes.
 *
 * @example
 * ```ts
 * canonicalBytes({ b: 1, a: 'x' }) // bytes of {"a":"x","b":1}
 * ```
 */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalText(value), 'utf8')
}

/**
 * Decodes strict UTF-8 (no BOM, no invalid sequences), or returns undefined.
 *
 * @example
 * ```ts
 * decodeUtf8Strict(Buffer.from('org.example')) // 'org.example'
 * ```
 */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  if (UTF8_BOM.every((byte, index) => bytes[index] === byte)) return undefined
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

/** What one walk over a parsed value finds. */
interface JsonFacts {
  /** Every object's members are in ascending UTF-16 code unit order, as JCS sorts them (RFC 8785 §3.2.3). */
  readonly sorted: boolean
  /** Why the value is outside what json-canonicalize serializes faithfully, if it is. */
  readonly hazard: string | undefined
}

/**
 * One walk over a value `JSON.parse` returned, for two facts.
 *
 * Hazards: json-canonicalize gets two inputs wrong, so they are refused (docs/protocol.md §2.1):
 * - lone UTF-16 surrogates (`"\ud800"`): it escapes and round-trips them, but I-JSON (RFC 8785 §3.2.2.2,
 *   RFC 7493 §2.1) forbids them;
 * - a member named `toJSON`: it hands such an object to `JSON.stringify`, which keeps insertion order
 *   instead of sorting the members.
 * The first hazard in walk order is reported. The walk uses an explicit stack, so depth cannot overflow it.
 *
 * `escapes` is false when the text holds no `\u`: the text is well-formed UTF-16, so a surrogate pair in it
 * lies whole inside one string literal, and only a `\u` escape can make a lone surrogate. Then strings are
 * not searched.
 */
function inspectJson(value: unknown, escapes: boolean, outerDepth: number): JsonFacts {
  const pending: unknown[] = [value]
  const depths: number[] = [outerDepth + 1]
  let sorted = true
  let hazard: string | undefined
  while (pending.length > 0) {
    const item = pending.pop()
    const depth = depths.pop()!
    if (typeof item === 'string') {
      if (escapes && LONE_SURROGATE.test(item)) hazard ??= 'a string holds a lone UTF-16 surrogate'
    } else if (typeof item === 'object' && item !== null) {
      if (depth > MAX_NESTING_DEPTH) {
        throw new Rejection(
          'malformed',
          `objects and arrays nest deeper than ${MAX_NESTING_DEPTH} levels`,
        )
      }
      if (Array.isArray(item)) {
        // No spread: a spread of a huge array would exceed the engine's argument limit.
        for (const element of item as unknown[]) {
          pending.push(element)
          depths.push(depth + 1)
        }
        continue
      }
      let previous: string | undefined
      for (const key of Object.keys(item)) {
        if (escapes && LONE_SURROGATE.test(key)) {
          hazard ??= 'a member name holds a lone UTF-16 surrogate'
        }
        if (key === 'toJSON') hazard ??= 'a member named "toJSON" cannot be canonicalized'
        if (previous !== undefined && !(previous < key)) sorted = false
        previous = key
        pending.push((item as Record<string, unknown>)[key])
        depths.push(depth + 1)
      }
    }
  }
  return { sorted, hazard }
}

/**
 * True when `text` is the JCS serialization of `parsed`, the value `JSON.parse(text)` returned.
 *
 * When every object's members already come in JCS order, json-canonicalize writes exactly what
 * `JSON.stringify` writes: both serialize each primitive with `JSON.stringify` and walk arrays alike, and its
 * member sort then changes nothing. So the native serializer answers, several times faster. Members whose
 * names are array indexes ("9", "10") enumerate in numeric order, not JCS order: such values go to the library.
 * Throws what the serializers throw (non-finite numbers, nesting that exhausts the stack).
 */
function isCanonicalText(parsed: JsonValue, text: string, facts: JsonFacts): boolean {
  return (facts.sorted ? JSON.stringify(parsed) : canonicalize(parsed)) === text
}

/**
 * Parses `text` as a JSON text that must be exactly its own RFC 8785 serialization, else throws
 * `Rejection('malformed')`. `text` holds no lone surrogate (it was decoded from UTF-8, or is serializer
 * output), so comparing text is comparing its UTF-8 bytes. `outerDepth` is how deep the value sits in the
 * frame (1 for `msg` in an envelope), for the nesting limit.
 */
export function parseCanonicalText(text: string, outerDepth = 0): JsonValue {
  // The single pass answers almost every text the rule accepts; anything else is judged, and its rejection
  // worded, by the definition below.
  if (scanCanonical(text, outerDepth)) return JSON.parse(text) as JsonValue
  let parsed: JsonValue
  let facts: JsonFacts
  let canonical: boolean
  try {
    parsed = JSON.parse(text) as JsonValue
    facts = inspectJson(parsed, text.includes('\\u'), outerDepth)
    // Throws when deep nesting exhausts the stack, and on the library path for a non-finite number (1e400
    // parses to Infinity); JSON.stringify writes that as null, which never equals the text.
    canonical = isCanonicalText(parsed, text, facts)
  } catch (error) {
    if (error instanceof Rejection) throw error
    throw new Rejection('malformed', `not canonical JSON: ${(error as Error).message}`)
  }
  if (!canonical) throw new Rejection('malformed', 'not in RFC 8785 canonical form')
  if (facts.hazard !== undefined) throw new Rejection('malformed', facts.hazard)
  // Reached only should the scan refuse a text the rule accepts: none is known (test/fuzz/canonical-scan.test.ts).
  /* v8 ignore next */
  return parsed
}

/**
 * Parses `bytes` as a JSON text that must be exactly its own RFC 8785 serialization, else throws
 * `Rejection('malformed')`.
 *
 * This one rule refuses duplicate member names, whitespace, escape and number spelling variants (`-0`,
 * `1e21`, `1e400`, integers beyond 2^53), a BOM, invalid UTF-8 and trailing data (docs/protocol.md §2.1).
 * Own `__proto__` members that `JSON.parse` creates stay plain data members: nothing here assigns them.
 *
 * @example
 * ```ts
 * parseCanonicalJson(Buffer.from('{"a":1}')) // { a: 1 }
 * parseCanonicalJson(Buffer.from('{ "a":1}')) // throws Rejection('malformed')
 * ```
 */
export function parseCanonicalJson(bytes: Uint8Array): JsonValue {
  const text = decodeUtf8Strict(bytes)
  if (text === undefined) throw new Rejection('malformed', 'not valid UTF-8 without a BOM')
  return parseCanonicalText(text)
}
