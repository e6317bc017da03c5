import { collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import { packageVersion } from '../package-version.js'

/**
 * A Prometheus registry for one hub or relay process: prom-client's default collectors (`process_*` CPU,
 * memory, file descriptors and start time; `nodejs_*` event loop lag, heap, GC) and
 * `fedmsg_build_info{version} 1`, to which {@link registerHubMetrics} or {@link registerRelayMetrics} add the
 * bus's own series. A registry of its own, not prom-client's global one, so that two components in one
 * process (the demo, tests) never collide.
 *
 * @example
 * ```ts
 * const registry = createMetricsRegistry()
 * registerHubMetrics(registry, () => hub.stats())
 * const text = await registry.metrics()
 * ```
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  new Gauge({
    name: 'fedmsg_build_info',
    help: 'Always 1; the label version is the fedmsg version running.',
    labelNames: ['version'],
    registers: [registry],
  }).set({ version: packageVersion() }, 1)
  return registry
}
