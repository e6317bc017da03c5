import { canonicalize } from 'json-canonicalize'
import { Rejection } from '../errors.js'

/** The JSON values fedmsg signs: what `JSON.parse` can produce. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const

// With the `u` flag a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /[\ud800-\udfff]/u

// fatal: invalid UTF-8 (including encoded surrogates) throws instead of becoming U+FFFD.
// ignoreBOM: a BOM stays in the text instead of being silently stripped, so the byte comparison refuses it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * The RFC 8785 (JCS) serialization of `value`, as UTF-8 bytes.
 *
 * @example
 * ```ts
 * canonicalBytes({ b: 1, a: 'x' }) // bytes of {"a":"x","b":1}
 * ```
 */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8')
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

/**
 * Why `value` is outside what json-canonicalize serializes faithfully, or undefined when it is inside.
 *
 * The library gets two inputs wrong, so they are refused here (docs/protocol.md §2.1):
 * - lone UTF-16 surrogates (`"\ud800"`): it escapes and round-trips them, but I-JSON (RFC 8785 §3.2.2.2,
 *   RFC 7493 §2.1) forbids them;
 * - a member named `toJSON`: it hands such an object to `JSON.stringify`, which keeps insertion order
 *   instead of sorting the members.
 * The walk uses an explicit stack, so depth cannot overflow it.
 */
function findCanonicalizationHazard(value: unknown): string | undefined {
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const item = pending.pop()
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) return 'a string holds a lone UTF-16 surrogate'
    } else if (Array.isArray(item)) {
      // No spread: a spread of a huge array would exceed the engine's argument limit.
      for (const element of item as unknown[]) pending.push(element)
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, member] of Object.entries(item)) {
        if (LONE_SURROGATE.test(key)) return 'a member name holds a lone UTF-16 surrogate'
        if (key === 'toJSON') return 'a member named "toJSON" cannot be canonicalized'
        pending.push(member)
      }
    }
  }
  return undefined
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
  let parsed: JsonValue
  let canonical: Buffer
  try {
    parsed = JSON.parse(text) as JsonValue
    // Throws for non-finite numbers (1e400 parses to Infinity) and overflows the stack on deep nesting.
    canonical = canonicalBytes(parsed)
  } catch (error) {
    throw new Rejection('malformed', `not canonical JSON: ${(error as Error).message}`)
  }
  if (!canonical.equals(bytes)) {
    throw new Rejection('malformed', 'not in RFC 8785 canonical form')
  }
  const hazard = findCanonicalizationHazard(parsed)
  if (hazard !== undefined) throw new Rejection('malformed', hazard)
  return parsed
}
