/** IRC colour codes carry their colour numbers (`\x0304,12`): strip those with the code. */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's job
const IRC_COLOUR = /\x03(?:\d{1,2}(?:,\d{1,2})?)?/g
/**
 * Control characters (C0, DEL, C1: IRC bold/italic/reset included, and the terminal escape that starts ANSI
 * sequences), line and paragraph separators, and the bidirectional controls and marks (U+061C, U+200E/F
 * included) that make text read in another order than it is stored (CVE-2021-42574, "Trojan Source").
 */
const UNSAFE = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu
/** A surrogate half without its partner (what slicing a string can leave): not text. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const TRUNCATED = '…'

/**
 * One line of at most `maxLength` characters (code points) of readable text from `value`: control and
 * formatting characters become spaces, runs of whitespace one space, and longer text is cut with `…`. The work
 * is bounded by `maxLength`, not by the input: a megabyte string costs no more than a short one.
 *
 * @example
 * ```ts
 * cleanText('bold \x02text\x02\nnext line', 80) // 'bold text next line'
 * ```
 */
export function cleanText(value: string, maxLength: number): string {
  // Room for the whitespace the cleaning collapses; any longer input is cut anyway.
  const bounded = value.length > maxLength * 4 + 16 ? value.slice(0, maxLength * 4 + 16) : value
  const text = bounded
    .replace(IRC_COLOUR, ' ')
    .replace(UNSAFE, ' ')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/\s+/g, ' ')
    .trim()
  const points = [...text]
  const cut = points.length > maxLength || bounded.length < value.length
  if (!cut) return text
  return (
    points
      .slice(0, Math.max(0, maxLength - 1))
      .join('')
      .trimEnd() + TRUNCATED
  )
}

/**
 * `value` when it is an `http:` or `https:` URL of at most `maxLength` characters without user name or
 * password; otherwise undefined. A user part lets a link read as one site's and lead to another
 * (`https://bodhi.fedoraproject.org@evil.example/`), and a password has no place in a summary.
 */
export function cleanUrl(value: string | undefined, maxLength: number): string | undefined {
  if (value === undefined || value.length > maxLength) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.username !== '' || url.password !== '') return undefined
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
}
