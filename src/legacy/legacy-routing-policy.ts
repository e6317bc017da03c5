import { ConfigInvalid } from '../errors.js'

/**
 * Python fedmsg's `routing_policy` and `routing_nitpicky`: a topic listed in the policy may be signed only by
 * the certificate CNs listed for it (exact topic, no patterns); a topic not listed is allowed unless nitpicky.
 *
 * @example
 * ```ts
 * const policy = LegacyRoutingPolicy.fromJson({ 'org.fedoraproject.prod.bodhi.update': ['bodhi-bodhi01.phx2.fedoraproject.org'] }, true)
 * policy.isAllowed('org.fedoraproject.prod.bodhi.update', 'bodhi-bodhi01.phx2.fedoraproject.org') // true
 * ```
 */
export class LegacyRoutingPolicy {
  readonly #signers: ReadonlyMap<string, ReadonlySet<string>>
  readonly nitpicky: boolean

  private constructor(signers: ReadonlyMap<string, ReadonlySet<string>>, nitpicky: boolean) {
    this.#signers = signers
    this.nitpicky = nitpicky
  }

  /** Python fedmsg's defaults: an empty policy, not nitpicky, so every signer of the legacy CA may publish. */
  static allowAll(): LegacyRoutingPolicy {
    return new LegacyRoutingPolicy(new Map(), false)
  }

  /** `json` is the routing_policy dict as JSON (topic → list of CNs); throws `ConfigInvalid` otherwise. */
  static fromJson(json: unknown, nitpicky: boolean, file?: string): LegacyRoutingPolicy {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new ConfigInvalid(
        'a legacy routing policy is a JSON object: topic → list of certificate CNs',
        {
          ...(file === undefined ? {} : { file }),
        },
      )
    }
    const signers = new Map<string, ReadonlySet<string>>()
    for (const [topic, names] of Object.entries(json as Record<string, unknown>)) {
      if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
        throw new ConfigInvalid(
          `legacy routing policy: the value of "${topic}" must be a list of certificate CNs`,
          { ...(file === undefined ? {} : { file }), key: topic },
        )
      }
      signers.set(topic, new Set(names as string[]))
    }
    return new LegacyRoutingPolicy(signers, nitpicky)
  }

  /** fedmsg.crypto.utils.validate_policy, same answer for every topic and CN. */
  isAllowed(topic: string, signer: string): boolean {
    const allowed = this.#signers.get(topic)
    if (allowed === undefined) return !this.nitpicky
    return allowed.has(signer)
  }
}
