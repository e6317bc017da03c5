import type { Logger } from 'pino'
import type { FedmsgConfig } from '../config/config-types.js'
import { readRoutingPolicy } from '../config/read-routing-policy.js'
import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'
import { RoutingPolicy } from '../crypto/policy/routing-policy.js'
import { assertValidTopic } from '../crypto/policy/topic-pattern.js'
import { ConfigInvalid, DerivationTooDeep, PolicyDenied } from '../errors.js'
import { createPublisher, type Publisher } from '../publisher/publisher.js'
import { signerFromConfig } from '../publisher/signer-from-config.js'
import { publisherTopic } from '../transport/topic-name.js'
import type { Derive } from './consumer-runner.js'

/** Derived messages' defaults, in one place. */
export const DERIVED_DEFAULTS = Object.freeze({
  /** A consumer may derive from an original message, not from a derived one. */
  maxDepth: 1,
})

/** Signed headers of a derived message: the `msg_id` it was derived from, and how many derivations deep. */
export const DERIVED_FROM_HEADER = 'derived_from'
export const DERIVED_DEPTH_HEADER = 'derived_depth'

/**
 * Publishes what a hub's consumers derive from the messages they are handed, as the configured service
 * (`derived.service`: its certificate, its endpoints or the relay), like any publisher of that service.
 * Each derived message carries, in its signed headers, the `msg_id` it came from and its depth; a message
 * that would be deeper than `max_depth` is refused, so consumers deriving from each other's output (or their
 * own, heard back from the bus) stop after a bounded number of steps instead of looping.
 */
export class DerivedPublisher {
  readonly #publisher: Publisher
  readonly #config: FedmsgConfig
  readonly #policy: RoutingPolicy
  readonly #signer: string
  readonly #maxDepth: number

  constructor(
    publisher: Publisher,
    parts: { config: FedmsgConfig; policy: RoutingPolicy; signer: string; maxDepth: number },
  ) {
    this.#publisher = publisher
    this.#config = parts.config
    this.#policy = parts.policy
    this.#signer = parts.signer
    this.#maxDepth = parts.maxDepth
  }

  /**
   * Signs and sends `body` on `topic` (a suffix under `<prefix>.<env>.<service>.`, or a full topic) as derived
   * from `source`. Throws DerivationTooDeep, InvalidTopic, PolicyDenied (the routing policy would have every
   * hub reject it), then whatever Publisher.publish throws.
   */
  async publish(
    source: VerifiedMessage,
    topic: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    const full = publisherTopic(this.#config, this.#publisher.name, topic)
    assertValidTopic(full)
    const depth = depthOf(source, this.#maxDepth) + 1
    if (depth > this.#maxDepth) {
      throw new DerivationTooDeep(full, source.msgId, depth, this.#maxDepth)
    }
    if (!this.#policy.isAllowed(full, this.#signer)) throw new PolicyDenied(full, this.#signer)
    await this.#publisher.publish(full, body, {
      headers: { [DERIVED_FROM_HEADER]: source.msgId, [DERIVED_DEPTH_HEADER]: String(depth) },
    })
  }

  close(): Promise<void> {
    return this.#publisher.close()
  }
}

/**
 * How many derivations deep `message` is: 0 for an original. A message that names a source but no valid depth
 * counts as at the limit: its publisher followed no rule we know, and failing closed cannot loop.
 */
function depthOf(message: VerifiedMessage, maxDepth: number): number {
  const { headers } = message
  if (headers[DERIVED_FROM_HEADER] === undefined) return 0
  const depth = Number(headers[DERIVED_DEPTH_HEADER])
  return Number.isSafeInteger(depth) && depth >= 1 ? depth : maxDepth
}

/**
 * The hub's derived publisher when its config has a `derived` section, else undefined: the service's signer
 * (`certs.<service>`), the routing policy (`routing_policy`, every hub's), and a publisher bound to the
 * service's endpoints or connected to the relay. Throws ConfigInvalid, KeyInsecure, KeyInvalid, CertInvalid,
 * AddressInUse.
 *
 * @example
 * ```ts
 * const derived = await openDerivedPublisher(config, logger)
 * ```
 */
export async function openDerivedPublisher(
  config: FedmsgConfig,
  logger: Logger,
): Promise<DerivedPublisher | undefined> {
  if (config.derived === undefined) return undefined
  const { service, max_depth: maxDepth = DERIVED_DEFAULTS.maxDepth } = config.derived
  const signer = signerFromConfig(config, service)
  const policy =
    config.routing_policy === undefined
      ? RoutingPolicy.allowAll()
      : readRoutingPolicy(config.routing_policy)
  const publisher = await createPublisher({ name: service, config, signer, logger })
  return new DerivedPublisher(publisher, {
    config,
    policy,
    signer: signer.signerName,
    maxDepth,
  })
}

/** What `context.publish` does in a hub with `derived` (publish) or without it (refuse, saying how to enable). */
export function deriveWith(derived: DerivedPublisher | undefined): Derive {
  if (derived !== undefined) return (source, topic, body) => derived.publish(source, topic, body)
  return () =>
    Promise.reject(
      new ConfigInvalid(
        'this hub publishes no derived messages: add a "derived": { "service": NAME } section naming the service it publishes as',
        { key: 'derived' },
      ),
    )
}
