import {
  ANY_SIGNER,
  type RoutingPolicy,
  type RoutingRule,
} from '../crypto/policy/routing-policy.js'
import { topicMatches } from '../crypto/policy/topic-pattern.js'

/** A rule with its position in the policy file (`rules[index]`). */
export interface NumberedRule {
  readonly index: number
  readonly rule: RoutingRule
}

/** Why a signer may or may not publish on a topic (docs/protocol.md §6). */
export type Decision =
  /** No rule matches the topic: the policy's `default` decides. */
  | { readonly type: 'default'; readonly allowed: boolean }
  /** The first matching rule that lists the signer, or `*`. */
  | { readonly type: 'rule'; readonly allowed: true; readonly rule: NumberedRule }
  /** Rules match the topic, and none lists the signer or `*`. */
  | {
      readonly type: 'unlisted'
      readonly allowed: false
      readonly matching: readonly NumberedRule[]
    }

/** Which signers may publish on a topic, and by which rules. */
export type Publishers =
  | { readonly type: 'default'; readonly anySigner: boolean }
  | {
      readonly type: 'rules'
      readonly matching: readonly NumberedRule[]
      /** Each signer (or `*`) some matching rule lists, with the indexes of the rules that list it. */
      readonly signers: readonly { readonly signer: string; readonly rules: readonly number[] }[]
    }

/** The policy's rules whose pattern matches `topic`, in file order. */
export function matchingRules(policy: RoutingPolicy, topic: string): NumberedRule[] {
  return policy.rules
    .map((rule, index) => ({ index, rule }))
    .filter(({ rule }) => topicMatches(rule.topic, topic))
}

/**
 * What the policy decides for `signer` on `topic`, and which rule (or the default) decides it. Agrees with
 * `RoutingPolicy.isAllowed` by construction of the same rule (test/policy/policy-decision.test.ts checks it).
 *
 * @example
 * explainDecision(policy, 'org.fedoraproject.prod.bodhi.update', 'bodhi') // { type: 'rule', allowed: true, … }
 */
export function explainDecision(policy: RoutingPolicy, topic: string, signer: string): Decision {
  const matching = matchingRules(policy, topic)
  if (matching.length === 0) {
    return { type: 'default', allowed: policy.defaultDecision === 'allow' }
  }
  const deciding = matching.find(
    ({ rule }) => rule.allow.includes(signer) || rule.allow.includes(ANY_SIGNER),
  )
  if (deciding === undefined) return { type: 'unlisted', allowed: false, matching }
  return { type: 'rule', allowed: true, rule: deciding }
}

/**
 * Every signer the policy lets publish on `topic`: the names (and `*`) the matching rules list, or the
 * default's verdict for any signer when no rule matches.
 *
 * @example
 * publishersOf(policy, 'org.fedoraproject.prod.bodhi.update') // { type: 'rules', signers: [{ signer: 'bodhi', rules: [0] }], … }
 */
export function publishersOf(policy: RoutingPolicy, topic: string): Publishers {
  const matching = matchingRules(policy, topic)
  if (matching.length === 0) {
    return { type: 'default', anySigner: policy.defaultDecision === 'allow' }
  }
  const rulesBySigner = new Map<string, number[]>()
  for (const { index, rule } of matching) {
    for (const signer of new Set(rule.allow)) {
      rulesBySigner.set(signer, [...(rulesBySigner.get(signer) ?? []), index])
    }
  }
  const signers = [...rulesBySigner].map(([signer, rules]) => ({ signer, rules }))
  return { type: 'rules', matching, signers }
}
