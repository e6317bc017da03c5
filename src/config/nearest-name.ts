import { distance } from 'fastest-levenshtein'

// commander's own thresholds for its "did you mean" on flags and commands: at most 3 edits, and more than
// 40% of the longer name left as it was.
const MAX_DISTANCE = 3
const MIN_SIMILARITY = 0.4

/** Shortest unknown name that counts as the start of a known one (`env` → `environment`). */
const MIN_PREFIX = 3

/**
 * The known name that `name` most likely misspells, for a "did you mean" hint: the most similar one within
 * a few edits (case-insensitive), or else the only known name that starts with it (`max_age`).
 *
 * @example
 * ```ts
 * nearestName('heartbeat_interval', ['heartbeat_interval_ms', 'linger_ms']) // 'heartbeat_interval_ms'
 * nearestName('colour', ['trust', 'crl']) // undefined
 * ```
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const wanted = name.toLowerCase()
  let best: string | undefined
  let bestSimilarity = MIN_SIMILARITY
  for (const candidate of known) {
    const edits = distance(wanted, candidate.toLowerCase())
    const similarity = 1 - edits / Math.max(wanted.length, candidate.length)
    if (edits <= MAX_DISTANCE && similarity > bestSimilarity) {
      best = candidate
      bestSimilarity = similarity
    }
  }
  if (best !== undefined || wanted.length < MIN_PREFIX) return best
  const starts = known.filter((candidate) => candidate.toLowerCase().startsWith(wanted))
  return starts.length === 1 ? starts[0] : undefined
}
