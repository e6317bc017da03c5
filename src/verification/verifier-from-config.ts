import type { FedmsgConfig } from '../config/config-types.js'
import { EnvelopeVerifier } from '../crypto/envelope/envelope-verifier.js'
import { RoutingPolicy } from '../crypto/policy/routing-policy.js'
import { InlineVerifier, type MessageVerifier } from './message-verifier.js'
import type { ReplayAdmission } from '../crypto/replay/replay-admission.js'
import type { VerifierPoolOptions } from './pool/verifier-pool-options.js'
import { VerifierPool } from './pool/verifier-pool.js'
import { ConfigInvalid } from '../errors.js'
import { readConfiguredFile } from '../config/read-configured-file.js'
import { readRoutingPolicyJson } from '../config/read-routing-policy.js'

/** What the configuration does not say: the clock, and the replay floor across restarts. */
export interface VerifierRuntime {
  readonly now?: () => number
  /**
   * Messages stamped before this instant are refused as `replay`: a verifier without a journal sets its start
   * (docs/threat-model.md, "Replay across a restart").
   */
  readonly notBeforeMs?: number
  /** What remembers accepted `msg_id`s (a hub's journal); default an in-memory cache. */
  readonly replayAdmission?: ReplayAdmission
}

/** A verifier's options as plain data (the routing policy as its JSON document), for a `VerifierPool`. */
export type ConfiguredVerifierOptions = Omit<VerifierPoolOptions, 'workers'>

/**
 * The options of the verifier a configuration describes: its trust anchors, CRLs, routing policy document,
 * freshness window, clock skew and size limit. Throws ConfigInvalid (no trust anchors, a policy that is not
 * JSON) and ConfigNotFound (a file that cannot be read).
 *
 * @example
 * ```ts
 * const pool = await VerifierPool.start({ ...verifierOptionsFromConfig(config), workers: 2 })
 * ```
 */
export function verifierOptionsFromConfig(
  config: FedmsgConfig,
  runtime: VerifierRuntime = {},
): ConfiguredVerifierOptions {
  if (config.trust.length === 0) {
    // Files replace the dev defaults whole (docs/configuration.md): say so to whoever expected them.
    throw new ConfigInvalid(
      'no trust anchors: set "trust" to the CA certificate files to trust (the dev defaults apply only ' +
        'when no config file exists; `fedmsg config` shows what is in use)',
      { key: 'trust' },
    )
  }
  return {
    trustAnchors: config.trust.map((file) => readConfiguredFile(file, 'trust')),
    crls: config.crl.map((file) => readConfiguredFile(file, 'crl')),
    ...(config.routing_policy === undefined
      ? {}
      : { policyJson: readRoutingPolicyJson(config.routing_policy) }),
    maxAgeMs: config.max_age_seconds * 1000,
    clockSkewMs: config.clock_skew_seconds * 1000,
    maxEnvelopeBytes: config.max_message_bytes,
    ...(runtime.now === undefined ? {} : { now: runtime.now }),
    ...(runtime.notBeforeMs === undefined ? {} : { notBeforeMs: runtime.notBeforeMs }),
    ...(runtime.replayAdmission === undefined ? {} : { replayAdmission: runtime.replayAdmission }),
  }
}

/**
 * The verifier a configuration describes (see {@link verifierOptionsFromConfig}), on the calling thread.
 *
 * @example
 * ```ts
 * const verifier = createVerifierFromConfig(config, { notBeforeMs: Date.now() })
 * ```
 */
export function createVerifierFromConfig(
  config: FedmsgConfig,
  runtime: VerifierRuntime = {},
): EnvelopeVerifier {
  const { policyJson, ...options } = verifierOptionsFromConfig(config, runtime)
  return new EnvelopeVerifier({
    ...options,
    policy:
      policyJson === undefined ? RoutingPolicy.allowAll() : RoutingPolicy.fromJson(policyJson),
  })
}

/**
 * The verifier a hub runs for a configuration: on the calling thread when `workers` is 0, else a
 * `VerifierPool` of `workers` threads, started. Throws what {@link verifierOptionsFromConfig} and
 * `VerifierPool.start` throw.
 *
 * @example
 * ```ts
 * const verifier = await createMessageVerifier(config, { notBeforeMs: Date.now() }, 2)
 * ```
 */
export async function createMessageVerifier(
  config: FedmsgConfig,
  runtime: VerifierRuntime,
  workers: number,
): Promise<MessageVerifier> {
  if (workers === 0) return new InlineVerifier(createVerifierFromConfig(config, runtime))
  return VerifierPool.start({ ...verifierOptionsFromConfig(config, runtime), workers })
}
