import type { Registry } from 'prom-client'
import { createMetricsRegistry } from '../metrics/metrics-registry.js'
import { startMetricsServer, type MetricsServer } from '../metrics/metrics-server.js'

/** What a bus command exposes on its metrics address. */
export interface OptionalMetricsOptions {
  /** `metrics_address`; nothing is served when it is undefined. */
  readonly address: string | undefined
  /** Adds the command's own series (registerHubMetrics, registerRelayMetrics) to the process's registry. */
  readonly register: (registry: Registry) => void
  /** True once the command is shutting down: `/healthz` then answers 503. */
  readonly stopping: () => boolean
  /** Closes what the command already opened, when the server cannot start. */
  readonly cleanUp: () => Promise<unknown>
}

/**
 * Starts the metrics server of `fedmsg hub` or `fedmsg relay` when an address is configured: the default
 * process and Node.js collectors, `fedmsg_build_info` and the command's own series. When it cannot
 * start (AddressInUse, say), `cleanUp` runs before the error is rethrown, so that a command that fails to
 * start does not keep its ZeroMQ sockets bound.
 *
 * @example
 * ```ts
 * const metrics = await startOptionalMetrics({ address, register: (r) => registerHubMetrics(r, () => hub.stats()), stopping: () => false, cleanUp: () => hub.close() })
 * ```
 */
export async function startOptionalMetrics(
  options: OptionalMetricsOptions,
): Promise<MetricsServer | undefined> {
  if (options.address === undefined) return undefined
  try {
    const registry = createMetricsRegistry()
    options.register(registry)
    return await startMetricsServer({
      address: options.address,
      registry,
      healthy: () => !options.stopping(),
    })
  } catch (error) {
    await options.cleanUp()
    throw error
  }
}
