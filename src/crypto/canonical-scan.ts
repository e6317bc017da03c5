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
const OPEN_OBJECT = 0x7b // {
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b // [
const CLOSE_ARRAY = 0x5d
const LOWER_U = 0x75

// RFC 8785 §3.2.2.2: these five controls are written as two-character escapes, every other control below
// U+0020 as \u00xx in lower-case hex, `"` and `\` as \" and \\, and nothing else is escaped.
const SHORT_ESCAPES = new Set(['"', '\\', 'b', 't', 'n', 'f', 'r'].map((c) => c.charCodeAt(0)))
const SHORT_ESCAPED_CONTROLS = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d])
const LOWER_HEX = /^[0-9a-f]$/
const LITERALS = new Map(['true', 'false', 'null'].map((word) => [word.charCodeAt(0), word]))

/** Where the string literal starting at `start` (a `"`) ends, one past its closing quote; -1 if not canonical. */
function endOfString(text: string, start: number): number {
  let at = start + 1
  for (;;) {
    const c = text.charCodeAt(at)
    if (c === QUOTE) return at + 1
    if (c !== c || c < 0x20) return -1 // end of text (NaN), or a raw control: not JSON at all
    if (c === BACKSLASH) {
      const e = text.charCodeAt(at + 1)
      if (SHORT_ESCAPES.has(e)) {
        at += 2
      } else if (e === LOWER_U) {
        // Only a control without a short form is written \u00xx. Any other \u (a letter, a surrogate: paired
        // ones are written as themselves, lone ones are refused by fedmsg) is not canonical or not allowed.
        const hex = text.slice(at + 2, at + 6)
        if (
          hex.length !== 4 ||
          hex[0] !== '0' ||
          hex[1] !== '0' ||
          !(hex[2] === '0' || hex[2] === '1')
        )
          return -1
        if (!LOWER_HEX.test(hex[3]!) || SHORT_ESCAPED_CONTROLS.has(parseInt(hex, 16))) return -1
        at += 6
      } else {
        return -1 // \/ and anything else JSON.parse might read is never written by JCS
      }
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A surrogate stands as itself only as a high one followed by a low one; JCS would escape a lone one.
      const low = text.charCodeAt(at + 1)
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return -1
      at += 2
    } else {
      at += 1
    }
  }
}

/** The characters a JSON number can hold; the token is judged whole below. */
function isNumberChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45
  )
}

/**
 * Where the number starting at `start` ends; -1 if it is not written as JCS writes it. RFC 8785 §3.2.2.3
 * writes numbers as ECMAScript's Number::toString does, and every output of that for a finite number is valid
 * JSON, so `String(Number(token)) === token` proves the token both valid and canonical: it refuses -0, 1E3,
 * 1.0, 01, integers beyond 2^53 that round, and 1e400 (Infinity).
 */
function endOfNumber(text: string, start: number): number {
  let at = start
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

/**
 * Reads the member name starting at `at` and the colon after it; checks that it sorts after `previous` (RFC
 * 8785 §3.2.3: members in ascending order of their names' UTF-16 code units, so no name twice) and is not
 * `toJSON`. Returns the name and where the member's value starts, or undefined.
 */
function memberName(
  text: string,
  at: number,
  previous: string | undefined,
): { name: string; next: number } | undefined {
  if (text.charCodeAt(at) !== QUOTE) return undefined
  const end = endOfString(text, at)
  if (end < 0 || text.charCodeAt(end) !== COLON) return undefined
  const raw = text.slice(at + 1, end - 1)
  // Order is on the names as parsed; the only escapes left in a canonical name are controls, `"` and `\`.
  const name = raw.includes('\\') ? (JSON.parse(text.slice(at, end)) as string) : raw
  if ((previous !== undefined && !(previous < name)) || name === 'toJSON') return undefined
  return { name, next: end + 1 }
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
  // The open containers, innermost last: the last member name read in an open object, or null for an array.
  const open: (string | null)[] = []
  let at = 0
  for (;;) {
    // A value starts at `at`.
    const c = text.charCodeAt(at)
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (outerDepth + open.length + 1 > MAX_NESTING_DEPTH) return false
      const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY
      if (text.charCodeAt(at + 1) === close) {
        at += 2 // {} or []
      } else if (c === OPEN_ARRAY) {
        open.push(null)
        at += 1
        continue
      } else {
        const member = memberName(text, at + 1, undefined)
        if (member === undefined) return false
        open.push(member.name)
        at = member.next
        continue
      }
    } else {
      at = endOfScalar(text, at)
      if (at < 0) return false
    }
    // A value ended at `at`: close what ends here, then expect the next element or member.
    for (;;) {
      if (open.length === 0) return at === text.length // JCS writes nothing after the value
      const previous = open[open.length - 1] as string | null
      const next = text.charCodeAt(at)
      if (previous === null) {
        if (next === CLOSE_ARRAY) {
          open.pop()
          at += 1
          continue
        }
        if (next !== COMMA) return false
        at += 1
      } else {
        if (next === CLOSE_OBJECT) {
          open.pop()
          at += 1
          continue
        }
        if (next !== COMMA) return false
        const member = memberName(text, at + 1, previous)
        if (member === undefined) return false
        open[open.length - 1] = member.name
        at = member.next
      }
      break
    }
  }
}
