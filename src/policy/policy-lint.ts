import {
  ANY_SIGNER,
  type RoutingPolicy,
  type RoutingRule,
} from '../crypto/policy/routing-policy.js'
import { intersectPatterns, patternCovers } from './pattern-relations.js'

/** Every kind of problem `fedmsg policy lint` reports (docs/operations.md, "Auditing the routing policy"). */
export const LINT_CODES = ['shadowed', 'never-matches', 'allows-nobody', 'unknown-signer'] as const

export type LintCode = (typeof LINT_CODES)[number]

/** One problem with one rule (`rules[rule]`); `signer` names the allow-list entry for `unknown-signer`. */
export interface LintFinding {
  readonly code: LintCode
  readonly rule: number
  readonly message: string
  readonly signer?: string
}

/** A service certificate a CA issued: its CN, and whether it is still usable (neither revoked nor expired). */
export interface IssuedSigner {
  readonly cn: string
  readonly usable: boolean
}

export interface LintOptions {
  /** The bus's `topic_prefix`: hubs subscribe to `<prefix>.` only, so a rule outside it never matches. */
  readonly topicPrefix?: string
  /** The service certificates the CA(s) issued; when given, every allow list is checked against their CNs. */
  readonly issued?: readonly IssuedSigner[]
}

/** True when rule `outer` allows every signer/topic pair rule `inner` allows. */
function ruleCovers(outer: RoutingRule, inner: RoutingRule): boolean {
  return (
    patternCovers(outer.topic, inner.topic) &&
    (outer.allow.includes(ANY_SIGNER) || inner.allow.every((name) => outer.allow.includes(name)))
  )
}

function shadowing(rules: readonly RoutingRule[], index: number): LintFinding[] {
  const rule = rules[index]!
  // Of two rules that cover each other, the later one is reported: deleting it changes nothing.
  const by = rules.findIndex(
    (other, k) => k !== index && ruleCovers(other, rule) && (k < index || !ruleCovers(rule, other)),
  )
  if (by === -1) return []
  const message = `rules[${by}] (${rules[by]!.topic}) matches every topic it matches and allows every signer it lists`
  return [{ code: 'shadowed', rule: index, message }]
}

function outsidePrefix(rule: RoutingRule, index: number, prefix: string): LintFinding[] {
  if (intersectPatterns(rule.topic, `${prefix}.>`) !== undefined) return []
  const message = `hubs only receive topics under "${prefix}." (topic_prefix)`
  return [{ code: 'never-matches', rule: index, message }]
}

function unknownSigners(
  rule: RoutingRule,
  index: number,
  issued: readonly IssuedSigner[],
): LintFinding[] {
  return [...new Set(rule.allow)]
    .filter((name) => name !== ANY_SIGNER)
    .flatMap((signer) => {
      const certificates = issued.filter(({ cn }) => cn === signer)
      if (certificates.some(({ usable }) => usable)) return []
      const message =
        certificates.length === 0
          ? `allows "${signer}", but no certificate the CA issued has that CN`
          : `allows "${signer}", but every certificate issued to it is revoked or expired`
      return [{ code: 'unknown-signer' as const, rule: index, signer, message }]
    })
}

/**
 * The problems of a routing policy: rules another rule makes redundant (`shadowed`), rules that match no topic
 * under the bus's prefix (`never-matches`), empty allow lists under `"default": "deny"` (`allows-nobody`, they
 * change nothing), and, given the CA's issued certificates, allow-list names no usable certificate has
 * (`unknown-signer`). In rule order; an empty list means a clean policy.
 *
 * @example
 * lintPolicy(policy, { topicPrefix: 'org.fedoraproject', issued: [{ cn: 'bodhi', usable: true }] })
 */
export function lintPolicy(policy: RoutingPolicy, options: LintOptions = {}): LintFinding[] {
  const { topicPrefix, issued } = options
  return policy.rules.flatMap((rule, index) => [
    ...shadowing(policy.rules, index),
    ...(topicPrefix === undefined ? [] : outsidePrefix(rule, index, topicPrefix)),
    ...(rule.allow.length === 0 && policy.defaultDecision === 'deny'
      ? [
          {
            code: 'allows-nobody' as const,
            rule: index,
            message: 'its allow list is empty and "default" is "deny": it changes nothing',
          },
        ]
      : []),
    ...(issued === undefined ? [] : unknownSigners(rule, index, issued)),
  ])
}
