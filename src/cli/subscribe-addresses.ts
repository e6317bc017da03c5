import type { FedmsgConfig } from '../config/config-types.js'

/**
 * Where a hub or a tail connects by default: every address of `endpoints` and `relay_outbound`, each once.
 *
 * @example
 * ```ts
 * subscribeAddresses(devDefaults()) // ['tcp://127.0.0.1:3001', …, 'tcp://127.0.0.1:4001']
 * ```
 */
export function subscribeAddresses(config: FedmsgConfig): string[] {
  const addresses = Object.values(config.endpoints).flat()
  if (config.relay_outbound !== undefined) addresses.push(config.relay_outbound)
  return [...new Set(addresses)]
}
