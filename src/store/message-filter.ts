/** A keyset position: rows strictly after it in the query's order. */
export interface Cursor {
  readonly timestamp: number
  readonly id: number
}

/**
 * What a query selects. Lists are alternatives (any of them matches); `not*` lists exclude. Topic patterns
 * use the bus's grammar: `*` one token, `>` one or more trailing tokens.
 */
export interface MessageFilter {
  readonly topics?: readonly string[]
  readonly notTopics?: readonly string[]
  readonly signers?: readonly string[]
  readonly notSigners?: readonly string[]
  /** Users and packages of the message's summary (datagrepper's `user`, `package`). */
  readonly users?: readonly string[]
  readonly notUsers?: readonly string[]
  readonly packages?: readonly string[]
  readonly notPackages?: readonly string[]
  /** Substrings of the envelope text (body, topic, headers). */
  readonly contains?: readonly string[]
  readonly notContains?: readonly string[]
  /** Inclusive lower bound on the message timestamp, ms. */
  readonly since?: number
  /** Exclusive upper bound on the message timestamp, ms. */
  readonly until?: number
  /** Inclusive bounds on the publisher sequence number `i` (gap fill: docs/protocol.md). */
  readonly minI?: number
  readonly maxI?: number
  readonly order?: 'asc' | 'desc'
  readonly after?: Cursor
  readonly limit: number
}

/**
 * A POSIX regular expression (SQLite's registered `regexp`, PostgreSQL's `~`) matching exactly the topics
 * of a topic pattern.
 *
 * @example
 * ```ts
 * topicPatternRegex('org.fedoraproject.*.bodhi.>') // '^org\\.fedoraproject\\.[^.]+\\.bodhi(\\.[^.]+)+$'
 * ```
 */
export function topicPatternRegex(pattern: string): string {
  const tokens = pattern.split('.')
  const last = tokens.at(-1) === '>' ? tokens.pop() : undefined
  // `>` alone: one or more tokens, any topic (there is no leading token for the dot to follow).
  if (tokens.length === 0) return '^[^.]+(\\.[^.]+)*$'
  // Tokens are [A-Za-z0-9_-]+ (validated before this), so only the dots need escaping.
  const body = tokens.map((token) => (token === '*' ? '[^.]+' : token)).join('\\.')
  return `^${body}${last === undefined ? '' : '(\\.[^.]+)+'}$`
}
