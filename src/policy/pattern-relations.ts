// Set relations between topic patterns (docs/protocol.md §1.2), decided on the tokens alone: the policy audit
// uses them to say which rule covers which and where two rules overlap.

/**
 * A pattern as the set of topics it matches: `tokens` position by position (`*` or a literal), then either
 * nothing more (`open` false) or any number of further tokens (`open` true). A final `>` matches one or more
 * tokens, so it becomes one more `*` and `open`.
 */
interface TopicSet {
  readonly tokens: readonly string[]
  readonly open: boolean
}

function topicSetOf(pattern: string): TopicSet {
  const tokens = pattern.split('.')
  if (tokens.at(-1) !== '>') return { tokens, open: false }
  return { tokens: [...tokens.slice(0, -1), '*'], open: true }
}

function patternOf(set: TopicSet): string {
  // An open set's last token is always `*` (see topicSetOf and intersectPatterns).
  return set.open ? [...set.tokens.slice(0, -1), '>'].join('.') : set.tokens.join('.')
}

/** The token both positions accept, or undefined when none does. */
function meet(a: string, b: string): string | undefined {
  if (a === '*') return b
  if (b === '*' || a === b) return a
  return undefined
}

/**
 * True when every topic `inner` matches, `outer` matches too.
 *
 * @example
 * patternCovers('org.*.bodhi.>', 'org.prod.bodhi.update') // true
 * patternCovers('org.*.bodhi.>', 'org.prod.bodhi') // false: ">" needs one more token
 */
export function patternCovers(outer: string, inner: string): boolean {
  const o = topicSetOf(outer)
  const i = topicSetOf(inner)
  if (o.open ? i.tokens.length < o.tokens.length : i.open || i.tokens.length !== o.tokens.length) {
    return false
  }
  return o.tokens.every((token, index) => token === '*' || token === i.tokens[index])
}

/**
 * The pattern matching exactly the topics both `a` and `b` match, or undefined when they share none.
 *
 * @example
 * intersectPatterns('org.*.bodhi.>', 'org.prod.>') // 'org.prod.bodhi.>'
 * intersectPatterns('org.*.bodhi.>', 'org.*.koji.>') // undefined
 */
export function intersectPatterns(a: string, b: string): string | undefined {
  const x = topicSetOf(a)
  const y = topicSetOf(b)
  const xFirst =
    x.tokens.length > y.tokens.length || (x.tokens.length === y.tokens.length && !x.open)
  const [longer, shorter] = xFirst ? [x, y] : [y, x]
  // A closed set has one length: the other must have it too (closed) or reach it from below (open).
  if (!shorter.open && (longer.open || longer.tokens.length !== shorter.tokens.length)) {
    return undefined
  }
  const tokens: string[] = []
  for (const [index, token] of longer.tokens.entries()) {
    const both = meet(token, shorter.tokens[index] ?? '*')
    if (both === undefined) return undefined
    tokens.push(both)
  }
  return patternOf({ tokens, open: longer.open && shorter.open })
}
