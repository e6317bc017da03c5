// Splits the (infinite) topic space into the finitely many regions a set of patterns can tell apart: two topics
// matched by exactly the same patterns get the same verdict from any policy built on those patterns, so
// `fedmsg policy diff` compares two policies region by region instead of topic by topic.

/** The topics matched by exactly `patterns` (and no other pattern of the set), with one of them. */
export interface TopicRegion {
  readonly patterns: readonly string[]
  readonly example: string
}

// Stands for any token no pattern names at that position. Real tokens are never empty.
const OTHER = ''

/** A token for `example` that differs from every literal the patterns use at that position. */
function otherToken(literals: ReadonlySet<string>): string {
  let token = 'x'
  for (let n = 0; literals.has(token); n += 1) token = `x${n}`
  return token
}

/**
 * Every region of the topic space that `patterns` (valid patterns, docs/protocol.md §1.2) tell apart,
 * including the one no pattern matches when it is not empty. Walks topics token by token, trying at each
 * position each literal some still-matching pattern names and one other token; positions beyond every
 * pattern change nothing. States already walked (same position, same patterns alive) are not walked again.
 *
 * @example
 * topicRegions(['a.>', 'a.b']) // [{ patterns: ['a.>', 'a.b'], example: 'a.b' }, { patterns: ['a.>'], … }, …]
 */
export function topicRegions(patterns: readonly string[]): TopicRegion[] {
  const unique = [...new Set(patterns)].sort()
  const split = unique.map((pattern) => pattern.split('.'))
  const regions = new Map<string, TopicRegion>()
  const walked = new Set<string>()
  const literalsAt = (depth: number) =>
    new Set(split.map((tokens) => tokens[depth] ?? '*').filter((t) => t !== '*' && t !== '>'))

  const record = (matched: readonly number[], path: readonly string[]) => {
    const key = [...matched].sort((a, b) => a - b).join(',')
    if (regions.has(key)) return
    const example = path.map((token, depth) => token || otherToken(literalsAt(depth))).join('.')
    regions.set(key, {
      patterns: key === '' ? [] : key.split(',').map((i) => unique[+i]!),
      example,
    })
  }

  // `alive`: patterns whose tokens so far all matched; `rest`: patterns whose `>` already took the tail.
  const walk = (path: readonly string[], alive: readonly number[], rest: readonly number[]) => {
    const depth = path.length
    const candidates = new Set(alive.map((i) => split[i]![depth]!))
    candidates.delete('*')
    candidates.delete('>')
    for (const token of [...candidates, OTHER]) {
      const here = [...path, token]
      const stillAlive: number[] = []
      const taken = [...rest]
      for (const i of alive) {
        const want = split[i]![depth]!
        if (want === '>') taken.push(i)
        else if (want === '*' || want === token) stillAlive.push(i)
      }
      record([...taken, ...stillAlive.filter((i) => split[i]!.length === depth + 1)], here)
      const longer = stillAlive.filter((i) => split[i]!.length > depth + 1)
      if (longer.length === 0) {
        record(taken, [...here, OTHER])
        continue
      }
      const state = `${depth}|${longer.join(',')}|${[...taken].sort((a, b) => a - b).join(',')}`
      if (walked.has(state)) continue
      walked.add(state)
      walk(here, longer, taken)
    }
  }
  walk(
    [],
    split.map((_, i) => i),
    [],
  )
  return [...regions.values()]
}
