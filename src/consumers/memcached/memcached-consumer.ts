import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { FedmsgConfig } from '../../config/config-types.js'
import type { Consumer } from '../../hub/consumer.js'
import { createSummarizerFromConfig } from '../../meta/summarizer-from-config.js'
import { registerMemcachedMetrics } from './memcached-metrics.js'
import { memcachedOptionsFromConfig } from './memcached-options.js'
import { MemcachedSink } from './memcached-sink.js'

/** The memcached consumer of a hub, with what the hub's command does around it. */
export interface HubMemcached {
  readonly consumer: Consumer
  /** Adds its counters to the hub's /metrics. */
  register(registry: Registry): void
  /** Writes what changed until `signal` aborts, then closes. */
  drain(signal?: AbortSignal): Promise<void>
}

/**
 * The memcached consumer `fedmsg hub` runs when its config has a `memcached` section; undefined without
 * one. The same sink as `fedmsg memcached`, on the hub's own verified messages.
 *
 * @example
 * ```ts
 * const memcached = await memcachedForHub(config, log)
 * const hub = await createHub({ config, consumers: memcached === undefined ? [] : [memcached.consumer] })
 * ```
 */
export async function memcachedForHub(
  config: FedmsgConfig,
  log: Logger,
): Promise<HubMemcached | undefined> {
  if (config.memcached === undefined) return undefined
  const summarize = await createSummarizerFromConfig(config)
  const sink = new MemcachedSink(memcachedOptionsFromConfig(config.memcached), summarize, log)
  return {
    consumer: { name: 'memcached', topic: sink.topics, consume: (m) => sink.offer(m) },
    register: (registry) => registerMemcachedMetrics(registry, () => sink.stats()),
    drain: (signal) => sink.drain(signal),
  }
}
