import { startMetricsServer, type MetricsServer } from '../transport/metrics-server.js'

/** What a bus command exposes on its metrics address. */
export interface OptionalMetricsOptions {
  /** `metrics_address`; nothing is served when it is undefined. */
  readonly address: string | undefined
  /** The Prometheus text of `/metrics`. */
  readonly metrics: () => string
  /** True once the command is shutting down: `/healthz` then answers 503. */
  readonly stopping: () => boolean
  /** Closes what the command already opened, when the server cannot start. */
  readonly cleanUp: () => Promise<unknown>
}

/**
 * Starts the metrics server of `fedmsg hub` or `fedmsg relay` when an address is configured. When it cannot
 * start (AddressInUse, say), `cleanUp` runs before the error is rethrown, so that a command that fails to
 * start does not keep its ZeroMQ sockets bound.
 *
 * @example
 * ```ts
 * const metrics = await startOptionalMetrics({ address, metrics: () => text, stopping: () => false, cleanUp: () => hub.close() })
 * ```
 */
export async function startOptionalMetrics(
  options: OptionalMetricsOptions,
): Promise<MetricsServer | undefined> {
  if (options.address === undefined) return undefined
  try {
    return await startMetricsServer({
      address: options.address,
      metrics: options.metrics,
      healthy: () => !options.stopping(),
    })
  } catch (error) {
    await options.cleanUp()
    throw error
  }
}
