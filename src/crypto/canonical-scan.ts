/**
 * One pass over a JSON text that answers, without building anything, whether the verifier's rule accepts it:
 * the text is exactly JCS(JSON.parse(text)) (RFC 8785), holds no lone surrogate and no member named `toJSON`,
 * and nests no deeper than MAX_NESTING_DEPTH (docs/protocol.md §2.1).
 *
 * Why hand-written: proving canonical form by serializing the parsed value again (JSON.stringify or
 * json-canonicalize) cost more than everything else fedmsg does per message (bench/README.md, "What bounds the
 * ratios"). The answer may only err towards `false`: a `false` sends the text to the definition
 * (`parseCanonicalText` in canonical.ts), which then decides and words the rejection. `true` must never be
 * given to a text the definition refuses; test/fuzz/canonical-scan.test.ts checks both directions against
 * JSON.parse + json-canonicalize.
 */

/**
 * Deepest nesting of objects and arrays in a frame, the envelope itself being level 1 (docs/protocol.md §2.1).
 * A protocol limit, so that every verifier gives the same verdict: without it the limit would be whatever a
 * recursive serializer's stack allows, which differs between the main thread and a worker thread.
 */
export const MAX_NESTING_DEPTH = 1024

const QUOTE = 0x22 // "
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const MINUS = 0x2d
const ZERO = 0x30
const NINE = 0x39
const OPEN_OBJECT = 0x7b // {
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b // [
const CLOSE_ARRAY = 0x5d
const LITERALS = new Map(['true', 'false', 'null'].map((word) => [word.charCodeAt(0), word]))

// RFC 8785 §3.2.2.2 (ECMAScript's JSON.stringify): `"` and `\` are written \" and \\; U+0008, U+0009,
// U+000A, U+000C, U+000D as \b \t \n \f \r; every other control below U+0020 as \u00xx in lower-case hex
// (00–07, 0b, 0e, 0f, 10–1f); nothing else is escaped. So \/, \u0041, upper-case hex and escaped surrogates
// are not canonical (a lone surrogate JCS would write escaped is refused by fedmsg anyway).
const SHORT_ESCAPES = new Set(['"', '\\', 'b', 't', 'n', 'f', 'r'].map((c) => c.charCodeAt(0)))
const CONTROL_ESCAPE = /^u00(?:0[0-7bef]|1[0-9a-f])$/

/** Where the escape starting at `at` (a `\`) ends, if JCS writes it; else -1. */
function endOfEscape(text: string, at: number): number {
  if (SHORT_ESCAPES.has(text.charCodeAt(at + 1))) return at + 2
  return CONTROL_ESCAPE.test(text.slice(at + 1, at + 6)) ? at + 6 : -1
}

/**
 * Where the string literal starting at `start` (a `"`) ends, one past its closing quote; -1 if JCS would not
 * write it so. Every code unit but `"`, `\`, controls and surrogates stands for itself; a surrogate only as a
 * high one followed by a low one (JCS writes a pair as itself, and would escape a lone one).
 */
function endOfString(text: string, start: number): number {
  let at = start + 1
  for (;;) {
    const c = text.charCodeAt(at)
    if (c > BACKSLASH ? c < 0xd800 || c >= 0xe000 : c >= 0x20 && c !== QUOTE && c !== BACKSLASH) {
      at += 1
    } else if (c === QUOTE) {
      return at + 1
    } else if (c === BACKSLASH) {
      at = endOfEscape(text, at)
      if (at < 0) return -1
    } else if (c <= 0xdbff && c >= 0xd800 && isLowSurrogate(text.charCodeAt(at + 1))) {
      at += 2
    } else {
      return -1 // a raw control (not JSON), a lone surrogate, or the end of the text (NaN)
    }
  }
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff
const isDigit = (c: number) => c >= ZERO && c <= NINE
/** The characters a JSON number can hold; `isNumberChar` of NaN (the end of the text) is false. */
const isNumberChar = (c: number) =>
  isDigit(c) || c === MINUS || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45

/**
 * Where the number starting at `start` ends; -1 if JCS would not write it so. RFC 8785 §3.2.2.3 writes a
 * number as ECMAScript's Number::toString does:
 * - an integer of at most 15 digits (below 2^53, so exact) without a leading zero, and not -0, is written as
 *   itself: the common case, answered without converting;
 * - anything else is canonical exactly when `String(Number(token)) === token`: every output of Number::toString
 *   for a finite number is valid JSON, so this refuses -0, 1E3, 1.0, 01, 1e21 (JCS writes 1e+21), integers
 *   beyond 2^53 that round, and 1e400 (Infinity), and lets 1e+21 and 5e-324 through.
 */
function endOfNumber(text: string, start: number): number {
  let at = text.charCodeAt(start) === MINUS ? start + 1 : start
  const digits = at
  while (isDigit(text.charCodeAt(at))) at += 1
  const count = at - digits
  if (
    !isNumberChar(text.charCodeAt(at)) &&
    count >= 1 &&
    count <= 15 &&
    (text.charCodeAt(digits) !== ZERO || (count === 1 && digits === start))
  ) {
    return at
  }
  while (isNumberChar(text.charCodeAt(at))) at += 1
  const token = text.slice(start, at)
  return token.length > 0 && String(Number(token)) === token ? at : -1
}

/** Where the value starting at `at` ends when it is a string, number or literal; -1 if not canonical. */
function endOfScalar(text: string, at: number): number {
  const c = text.charCodeAt(at)
  if (c === QUOTE) return endOfString(text, at)
  const literal = LITERALS.get(c)
  if (literal !== undefined) return text.startsWith(literal, at) ? at + literal.length : -1
  return endOfNumber(text, at)
}

/** The member name whose literal spans `start`–`end` (quotes included), as JSON.parse reads it. */
const nameAt = (text: string, start: number, end: number) =>
  JSON.parse(text.slice(start, end)) as string

/**
 * True when the name literal at `a`–`aEnd` sorts strictly before the one at `b`–`bEnd` (RFC 8785 §3.2.3:
 * members in ascending order of their names' UTF-16 code units, so also no name twice). Both are canonical
 * literals, so a raw `"` in one is its closing quote. Without escapes the text's code units are the name's,
 * and are compared in place; a name holding an escape (a control, `"` or `\`) is parsed first.
 */
function sortsBefore(text: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  for (let i = a + 1, j = b + 1; ; i++, j++) {
    const x = text.charCodeAt(i)
    const y = text.charCodeAt(j)
    if (x === BACKSLASH || y === BACKSLASH) return nameAt(text, a, aEnd) < nameAt(text, b, bEnd)
    if (x === QUOTE) return y !== QUOTE // a ended first: before, unless both ended (the same name)
    if (y === QUOTE) return false
    if (x !== y) return x < y
  }
}

/**
 * True when the verifier's rule accepts `text` as the value at `outerDepth` levels below the frame's top (0 for
 * a whole frame, 1 for a member of the envelope); false when it refuses it, and possibly for a text it accepts
 * (none known). Never throws.
 *
 * @example
 * ```ts
 * scanCanonical('{"a":1,"b":[true]}', 0) // true
 * scanCanonical('{"b":1,"a":2}', 0) // false: members out of order
 * ```
 */
export function scanCanonical(text: string, outerDepth: number): boolean {
  // The open containers, innermost last. For an object, where the last member name read starts and ends
  // (its literal, quotes included); for an array, -1 in both.
  const nameStarts: number[] = []
  const nameEnds: number[] = []
  let at = 0
  for (;;) {
    // A value starts at `at`.
    const c = text.charCodeAt(at)
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (outerDepth + nameStarts.length + 1 > MAX_NESTING_DEPTH) return false
      if (text.charCodeAt(at + 1) === (c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        at += 2 // {} or []
      } else if (c === OPEN_ARRAY) {
        nameStarts.push(-1)
        nameEnds.push(-1)
        at += 1
        continue
      } else {
        const end = endOfName(text, at + 1)
        if (end < 0) return false
        nameStarts.push(at + 1)
        nameEnds.push(end)
        at = end + 1 // past the colon
        continue
      }
    } else {
      at = endOfScalar(text, at)
      if (at < 0) return false
    }
    // A value ended at `at`: close what ends here, then expect the next element or member.
    for (;;) {
      const depth = nameStarts.length
      if (depth === 0) return at === text.length // JCS writes nothing after the value
      const next = text.charCodeAt(at)
      const previous = nameStarts[depth - 1]!
      if (next === (previous < 0 ? CLOSE_ARRAY : CLOSE_OBJECT)) {
        nameStarts.pop()
        nameEnds.pop()
        at += 1
        continue
      }
      if (next !== COMMA) return false
      at += 1
      if (previous >= 0) {
        const end = endOfName(text, at)
        if (end < 0 || !sortsBefore(text, previous, nameEnds[depth - 1]!, at, end)) return false
        nameStarts[depth - 1] = at
        nameEnds[depth - 1] = end
        at = end + 1
      }
      break
    }
  }
}

/**
 * Where the member name literal starting at `at` ends (one past its closing quote) when it is canonical, is
 * followed by `:`, and is not `toJSON` (which json-canonicalize mishandles; fedmsg refuses it); else -1.
 */
function endOfName(text: string, at: number): number {
  if (text.charCodeAt(at) !== QUOTE) return -1
  const end = endOfString(text, at)
  if (end < 0 || text.charCodeAt(end) !== COLON) return -1
  return end - at === 8 && text.startsWith('"toJSON"', at) ? -1 : end
}
