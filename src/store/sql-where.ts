import { topicPatternRegex, type MessageFilter } from './message-filter.js'

/** How the two backends spell what differs between them. */
export interface SqlDialect {
  /** The placeholder of the n-th parameter (1-based). */
  placeholder(n: number): string
  /** A condition that `column` matches the regular expression in parameter `param`. */
  regex(column: string, param: string): string
  /** A condition that the message's summary lists one of `names` (`param` binds each value). */
  lists(kind: 'users' | 'packages', names: readonly string[], param: (v: unknown) => string): string
}

export const SQLITE_DIALECT: SqlDialect = {
  placeholder: () => '?',
  regex: (column, param) => `regexp(${param}, ${column})`,
  // Join tables message_users / message_packages, looked up by (name, message_id).
  lists: (kind, names, param) =>
    `EXISTS (SELECT 1 FROM message_${kind} s WHERE s.message_id = messages.id AND s.name IN (${names
      .map(param)
      .join(', ')}))`,
}

export const POSTGRES_DIALECT: SqlDialect = {
  placeholder: (n) => `$${n}`,
  regex: (column, param) => `${column} ~ ${param}`,
  // Array columns with GIN indexes: && is "overlaps".
  lists: (kind, names, param) => `${kind} && ${param([...names])}::text[]`,
}

/** A WHERE clause and its parameters, never with values spliced into the text. */
export interface SqlWhere {
  readonly text: string
  readonly params: unknown[]
}

/**
 * The WHERE clause of `filter` (without its order, cursor or limit when `keyset` is false: for counts).
 *
 * @example
 * ```ts
 * buildWhere({ topics: ['a.>'], limit: 10 }, SQLITE_DIALECT, true)
 * ```
 */
export function buildWhere(filter: MessageFilter, dialect: SqlDialect, keyset: boolean): SqlWhere {
  const params: unknown[] = []
  const param = (value: unknown): string => {
    params.push(value)
    return dialect.placeholder(params.length)
  }
  const topic = (pattern: string): string =>
    pattern.includes('*') || pattern.endsWith('>')
      ? dialect.regex('topic', param(topicPatternRegex(pattern)))
      : `topic = ${param(pattern)}`
  const like = (text: string): string =>
    `envelope LIKE ${param(`%${escapeLike(text)}%`)} ESCAPE '\\'`
  const conditions: string[] = []
  const anyOf = (values: readonly string[] | undefined, condition: (v: string) => string) => {
    if (values !== undefined && values.length > 0)
      conditions.push(`(${values.map(condition).join(' OR ')})`)
  }
  const noneOf = (values: readonly string[] | undefined, condition: (v: string) => string) => {
    for (const value of values ?? []) conditions.push(`NOT (${condition(value)})`)
  }
  anyOf(filter.topics, topic)
  noneOf(filter.notTopics, topic)
  anyOf(filter.signers, (name) => `signer = ${param(name)}`)
  noneOf(filter.notSigners, (name) => `signer = ${param(name)}`)
  const listed = (
    kind: 'users' | 'packages',
    names: readonly string[] | undefined,
    not: boolean,
  ) => {
    if (names !== undefined && names.length > 0)
      conditions.push(`${not ? 'NOT ' : ''}(${dialect.lists(kind, names, param)})`)
  }
  listed('users', filter.users, false)
  listed('users', filter.notUsers, true)
  listed('packages', filter.packages, false)
  listed('packages', filter.notPackages, true)
  for (const text of filter.contains ?? []) conditions.push(like(text))
  noneOf(filter.notContains, like)
  if (filter.since !== undefined) conditions.push(`timestamp >= ${param(filter.since)}`)
  if (filter.until !== undefined) conditions.push(`timestamp < ${param(filter.until)}`)
  if (filter.minI !== undefined) conditions.push(`i >= ${param(filter.minI)}`)
  if (filter.maxI !== undefined) conditions.push(`i <= ${param(filter.maxI)}`)
  if (keyset && filter.after !== undefined) {
    const op = filter.order === 'asc' ? '>' : '<'
    conditions.push(
      `(timestamp, id) ${op} (${param(filter.after.timestamp)}, ${param(filter.after.id)})`,
    )
  }
  return { text: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params }
}

/** ORDER BY and LIMIT of a keyset page. */
export function orderAndLimit(filter: MessageFilter, dialect: SqlDialect, from: number): string {
  const direction = filter.order === 'asc' ? 'ASC' : 'DESC'
  return `ORDER BY timestamp ${direction}, id ${direction} LIMIT ${dialect.placeholder(from)}`
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}
