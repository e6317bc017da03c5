import { RoutingPolicy } from '../crypto/policy/routing-policy.js'
import { ConfigInvalid } from '../errors.js'
import { readConfiguredFile } from './read-configured-file.js'

/**
 * The routing policy document in the file `routing_policy` names, as parsed JSON (a verifier pool sends it to
 * its threads as it is). Throws ConfigNotFound (unreadable) or ConfigInvalid (not JSON).
 *
 * @example
 * ```ts
 * const document = readRoutingPolicyJson('/etc/fedmsg/policy.json')
 * ```
 */
export function readRoutingPolicyJson(file: string): unknown {
  const text = readConfiguredFile(file, 'routing_policy')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ConfigInvalid(
      `routing policy ${file} is not JSON: fix it`,
      { file, key: 'routing_policy' },
      { cause: error },
    )
  }
}

/** Reads and checks the routing policy in `file`; throws as {@link readRoutingPolicyJson}, and ConfigInvalid for a bad policy. */
export function readRoutingPolicy(file: string): RoutingPolicy {
  return RoutingPolicy.fromJson(readRoutingPolicyJson(file))
}
