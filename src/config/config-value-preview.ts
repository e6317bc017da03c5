/**
 * How configuration error messages quote the value they refuse (`must be integer >= 1 (got "300")`). Two
 * rules that no file, mistaken or hostile, may break (issue 19):
 *
 * - a value at or below a secret-bearing key is never shown, only its kind and length: a CURVE secret key one
 *   character off was once quoted whole;
 * - quoting never recurses without bound: `JSON.stringify` of a file nested a million levels deep overflowed
 *   the stack. Values are shown {@link SHOWN_DEPTH} levels deep and {@link SHOWN_CHARS} characters long.
 */

/**
 * Top-level keys whose values hold secrets (`curve`: the CURVE secret keys; `store`: a database URL's
 * password; `gap_fill`: a URL refused because it carries credentials). Messages never quote them.
 */
export const SECRET_BEARING_KEYS: ReadonlySet<string> = new Set(['curve', 'store', 'gap_fill'])

/** Most characters of a quoted value. */
const SHOWN_CHARS = 60
/** Levels of arrays and objects quoted before `[...]` / `{...}`. */
const SHOWN_DEPTH = 4

/**
 * The value as error messages quote it: JSON, cut short, or for a secret-bearing key its kind only.
 *
 * @param segments - where the value lies (`['curve', 'server', 'secret_key']`).
 * @example
 * ```ts
 * quoteConfigValue('300', ['max_age_seconds']) // '"300"'
 * quoteConfigValue('JTKVSB', ['curve', 'server', 'secret_key']) // 'a string of 6 characters, not shown'
 * ```
 */
export function quoteConfigValue(value: unknown, segments: readonly (string | number)[]): string {
  const top = segments[0]
  if (typeof top === 'string' && SECRET_BEARING_KEYS.has(top)) return `${kindOf(value)}, not shown`
  const text = preview(value, SHOWN_DEPTH)
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS - 3)}...` : text
}

function kindOf(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** JSON of `value` down to `depth` levels, stopping once past {@link SHOWN_CHARS}. */
function preview(value: unknown, depth: number): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? String(value)
  const array = Array.isArray(value)
  const [open, close] = array ? ['[', ']'] : ['{', '}']
  const keys = Object.keys(value)
  if (keys.length === 0) return `${open}${close}`
  if (depth === 0) return `${open}...${close}`
  const parts: string[] = []
  let length = 0
  for (const key of keys) {
    if (length > SHOWN_CHARS) {
      parts.push('...')
      break
    }
    const member = (value as Record<string, unknown>)[key]
    const shown = array
      ? preview(member, depth - 1)
      : `${JSON.stringify(key)}:${SECRET_BEARING_KEYS.has(key) ? '(not shown)' : preview(member, depth - 1)}`
    parts.push(shown)
    length += shown.length + 1
  }
  return `${open}${parts.join(',')}${close}`
}
