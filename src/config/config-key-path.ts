/**
 * Dotted key paths into a configuration: `max_age_seconds`, `endpoints.bodhi`, `consumers[0].module`,
 * `schemas["org.fedoraproject.bodhi.>"]`. Error messages print them; `fedmsg config --key` reads them.
 */

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/

/** The dotted form of a list of object keys and array indexes. */
export function formatKeyPath(segments: readonly (string | number)[]): string {
  let out = ''
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

/**
 * The segments of a JSON pointer (RFC 6901) into `root`; array indexes become numbers, so that
 * `/consumers/0/module` prints as `consumers[0].module` while a map key `"0"` stays a key.
 */
export function pointerSegments(root: unknown, pointer: string): (string | number)[] {
  if (pointer === '') return []
  const segments: (string | number)[] = []
  let node = root
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    const segment = Array.isArray(node) ? Number(key) : key
    segments.push(segment)
    node =
      isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined
  }
  return segments
}

/** The value at a dotted `key`, or `{ found: false }`. Map keys may hold dots: the longest existing key wins. */
export function lookupConfigValue(
  config: unknown,
  key: string,
): { found: true; value: unknown } | { found: false } {
  const path = key.replace(/\["((?:[^"\\]|\\.)*)"\]/g, (_, inner: string) => `.${inner}`)
  return lookupIn(config, path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, ''))
}

function lookupIn(node: unknown, rest: string): { found: true; value: unknown } | { found: false } {
  if (rest === '') return { found: true, value: node }
  if (Array.isArray(node)) {
    const [index, ...tail] = rest.split('.')
    if (!/^\d+$/.test(index!) || Number(index) >= node.length) return { found: false }
    return lookupIn(node[Number(index)], tail.join('.'))
  }
  if (!isRecord(node)) return { found: false }
  // Try "a.b.c", then "a.b", then "a", so that topic patterns with dots can be map keys.
  const parts = rest.split('.')
  for (let n = parts.length; n >= 1; n--) {
    const head = parts.slice(0, n).join('.')
    if (Object.hasOwn(node, head)) {
      const found = lookupIn(node[head], parts.slice(n).join('.'))
      if (found.found) return found
    }
  }
  return { found: false }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
