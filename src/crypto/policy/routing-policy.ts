import { ConfigInvalid, FedmsgError } from '../../errors.js'
import { assertValidTopicPattern, topicMatches } from './topic-pattern.js'

/** One rule: the signer identities (leaf CNs, or `*` for any) that may publish on topics matching `topic`. */
export interface RoutingRule {
  readonly topic: string
  readonly allow: readonly string[]
}

/** The allow-list entry that admits any signer whose chain verified. */
export const ANY_SIGNER = '*'

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(message: string, key?: string): ConfigInvalid {
  return new ConfigInvalid(`routing policy: ${message}`, key === undefined ? {} : { key })
}

function parseRule(value: unknown, index: number): RoutingRule {
  const where = `rules[${index}]`
  if (!isPlainObject(value)) throw invalid(`${where} must be an object`, where)
  const extra = Object.keys(value).filter((key) => key !== 'topic' && key !== 'allow')
  if (extra.length > 0) throw invalid(`${where} has unknown member "${extra[0]}"`, where)
  const { topic, allow } = value
  if (typeof topic !== 'string') throw invalid(`${where}.topic must be a string`, where)
  try {
    assertValidTopicPattern(topic)
  } catch (error) {
    throw invalid(`${where}: ${(error as FedmsgError).message}`, where)
  }
  if (!Array.isArray(allow) || !allow.every((name) => typeof name === 'string' && name !== '')) {
    throw invalid(`${where}.allow must be an array of signer names or "*"`, where)
  }
  return Object.freeze({ topic, allow: Object.freeze([...(allow as string[])]) })
}

/**
 * Which signer may publish on which topic (docs/protocol.md §6).
 *
 * A topic is allowed for a signer when any rule whose pattern matches the topic lists the signer or `"*"`.
 * When no rule matches, `default` decides (deny when omitted). "Not allowed" is `policy_denied`, kept apart
 * from "not genuine".
 *
 * @example
 * ```ts
 * const policy = RoutingPolicy.fromJson({
 *   default: 'deny',
 *   rules: [{ topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] }],
 * })
 * policy.isAllowed('org.fedoraproject.prod.bodhi.update.request', 'bodhi') // true
 * ```
 */
export class RoutingPolicy {
  readonly #defaultAllow: boolean
  readonly #rules: readonly RoutingRule[]

  private constructor(defaultAllow: boolean, rules: readonly RoutingRule[]) {
    this.#defaultAllow = defaultAllow
    this.#rules = rules
  }

  /** Builds a policy from its parsed JSON document; throws `ConfigInvalid` for anything else. */
  static fromJson(json: unknown): RoutingPolicy {
    if (!isPlainObject(json)) throw invalid('must be a JSON object')
    const extra = Object.keys(json).filter((key) => key !== 'default' && key !== 'rules')
    if (extra.length > 0) throw invalid(`unknown member "${extra[0]}"`, extra[0])
    const { default: fallback = 'deny', rules = [] } = json
    if (fallback !== 'deny' && fallback !== 'allow') {
      throw invalid('"default" must be "deny" or "allow"', 'default')
    }
    if (!Array.isArray(rules)) throw invalid('"rules" must be an array', 'rules')
    return new RoutingPolicy(fallback === 'allow', Object.freeze(rules.map(parseRule)))
  }

  /** The policy of a verifier configured without one: any signer whose chain verified, any topic. */
  static allowAll(): RoutingPolicy {
    return new RoutingPolicy(true, [])
  }

  /** The rules, in file order (for the policy audit commands, `fedmsg policy`). */
  get rules(): readonly RoutingRule[] {
    return this.#rules
  }

  /** What decides a topic no rule matches. */
  get defaultDecision(): 'allow' | 'deny' {
    return this.#defaultAllow ? 'allow' : 'deny'
  }

  /** True when `signer` (a leaf CN) may publish on `topic`. */
  isAllowed(topic: string, signer: string): boolean {
    const matching = this.#rules.filter((rule) => topicMatches(rule.topic, topic))
    if (matching.length === 0) return this.#defaultAllow
    return matching.some((rule) => rule.allow.includes(signer) || rule.allow.includes(ANY_SIGNER))
  }
}
