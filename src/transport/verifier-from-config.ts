import { readFileSync } from 'node:fs'
import type { FedmsgConfig } from '../config/config-types.js'
import { EnvelopeVerifier } from '../crypto/envelope-verifier.js'
import { RoutingPolicy } from '../crypto/routing-policy.js'
import { ConfigInvalid, ConfigNotFound } from '../errors.js'

/** What the configuration does not say: the clock, and the replay floor across restarts. */
export interface VerifierRuntime {
  readonly now?: () => number
  /**
   * Messages stamped before this instant are refused as `replay` (no clock skew allowed). A hub sets its start
   * time: the replay cache is in memory, so without this floor a restarted hub would accept a recording of
   * anything from the last max_age seconds.
   */
  readonly notBeforeMs?: number
}

/**
 * The verifier a configuration describes: its trust anchors, CRLs, routing policy, freshness window, clock
 * skew and size limit.
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
  if (config.trust.length === 0) {
    throw new ConfigInvalid('no trust anchors: set "trust" to the CA certificate files to trust', {
      key: 'trust',
    })
  }
  return new EnvelopeVerifier({
    trustAnchors: config.trust.map((file) => readConfiguredFile(file, 'trust')),
    crls: config.crl.map((file) => readConfiguredFile(file, 'crl')),
    policy:
      config.routing_policy === undefined
        ? RoutingPolicy.allowAll()
        : readRoutingPolicy(config.routing_policy),
    maxAgeMs: config.max_age_seconds * 1000,
    clockSkewMs: config.clock_skew_seconds * 1000,
    maxEnvelopeBytes: config.max_message_bytes,
    ...(runtime.now === undefined ? {} : { now: runtime.now }),
    ...(runtime.notBeforeMs === undefined ? {} : { notBeforeMs: runtime.notBeforeMs }),
  })
}

/** Reads the routing policy JSON file named by the configuration. */
export function readRoutingPolicy(file: string): RoutingPolicy {
  const text = readConfiguredFile(file, 'routing_policy')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ConfigInvalid(
      `routing policy ${file} is not JSON: fix it`,
      { file, key: 'routing_policy' },
      { cause: error },
    )
  }
  return RoutingPolicy.fromJson(json)
}

function readConfiguredFile(file: string, key: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigNotFound(
      `cannot read ${file} (from "${key}"): check the path and permissions`,
      {
        cause: error,
      },
    )
  }
}
