import { ANY_SIGNER, type RoutingPolicy } from '../crypto/policy/routing-policy.js'
import { intersectPatterns } from './pattern-relations.js'
import { topicRegions, type TopicRegion } from './topic-regions.js'

/**
 * Who gains or loses a set of topics. The topics are those `pattern` matches except those an `except` pattern
 * matches (each of those is a region of its own); `pattern` is null for the topics no rule of either policy
 * matches. `opened`/`closed` list signer CNs, and `*` for any signer neither policy names.
 */
export interface RegionChange {
  readonly pattern: string | null
  readonly except: readonly string[]
  readonly example: string
  readonly opened: readonly string[]
  readonly closed: readonly string[]
}

function allows(policy: RoutingPolicy, region: TopicRegion, signer: string): boolean {
  const matching = policy.rules.filter((rule) => region.patterns.includes(rule.topic))
  if (matching.length === 0) return policy.defaultDecision === 'allow'
  return matching.some((rule) => rule.allow.includes(signer) || rule.allow.includes(ANY_SIGNER))
}

/** The signers either policy names, then `*` for every other signer (they all get the same verdicts). */
function signerClasses(policies: readonly RoutingPolicy[]): string[] {
  const named = new Set(policies.flatMap((policy) => policy.rules.flatMap((rule) => rule.allow)))
  named.delete(ANY_SIGNER)
  return [...[...named].sort(), ANY_SIGNER]
}

function describeRegion(
  region: TopicRegion,
  all: readonly string[],
): Pick<RegionChange, 'pattern' | 'except'> {
  if (region.patterns.length === 0) return { pattern: null, except: [] }
  // Non-empty: the region holds `example`, which every one of its patterns matches.
  const pattern = region.patterns.reduce((both, next) => intersectPatterns(both, next)!)
  const except = all.filter(
    (other) => !region.patterns.includes(other) && intersectPatterns(pattern, other) !== undefined,
  )
  return { pattern, except }
}

/**
 * Which signer/topic pairs going from `before` to `after` opens (newly allowed) or closes (newly denied),
 * exactly: every topic falls in one region, and every signer in one class. Empty when both policies decide
 * alike for every signer on every topic, however differently they are written.
 *
 * @example
 * diffPolicies(before, after) // [{ pattern: 'org.fedoraproject.*.koji.>', except: [], opened: ['koji'], closed: [], … }]
 */
export function diffPolicies(before: RoutingPolicy, after: RoutingPolicy): RegionChange[] {
  const patterns = [...new Set([...before.rules, ...after.rules].map((rule) => rule.topic))].sort()
  const signers = signerClasses([before, after])
  const changes = topicRegions(patterns).flatMap((region) => {
    const opened = signers.filter((s) => !allows(before, region, s) && allows(after, region, s))
    const closed = signers.filter((s) => allows(before, region, s) && !allows(after, region, s))
    if (opened.length === 0 && closed.length === 0) return []
    return [{ ...describeRegion(region, patterns), example: region.example, opened, closed }]
  })
  // Stable output for reviewers and CI logs: by pattern, the unmatched topics last.
  const key = (change: RegionChange) => `${change.pattern ?? '\uffff'} ${change.except.join()}`
  return changes.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}
