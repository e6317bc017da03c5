import { basename, extname } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ConsumerConfig } from '../config/config-types.js'
import { ConfigInvalid } from '../errors.js'
import type { Consumer } from './consumer.js'
import { describeImportError } from './module-import-error.js'

/** Per-consumer limits when the config does not set them. */
export const DEFAULT_CONSUMER_QUEUE_SIZE = 1000
export const DEFAULT_CONSUMER_TIMEOUT_MS = 5000

/** A consumer with everything the hub needs to run it. */
export interface ConsumerSetup {
  readonly name: string
  readonly consumer: Consumer
  readonly patterns: readonly string[]
  readonly queueSize: number
  readonly timeoutMs: number
}

/** The setup of a consumer given as an object (`createHub({ consumers })`). */
export function setupConsumer(consumer: Consumer, index: number): ConsumerSetup {
  assertConsumer(consumer, `consumers[${index}]`)
  return {
    name: consumer.name ?? `consumer-${index + 1}`,
    consumer,
    patterns: toPatterns(consumer.topic),
    queueSize: consumer.queueSize ?? DEFAULT_CONSUMER_QUEUE_SIZE,
    timeoutMs: consumer.timeoutMs ?? DEFAULT_CONSUMER_TIMEOUT_MS,
  }
}

/**
 * Imports each `consumers[].module` (an absolute path after config loading). A module exports its consumer as
 * `default` or as `consumer`: either an object, or a class the hub instantiates with no arguments. The
 * config's `topic` overrides the module's own.
 */
export async function loadConsumers(configs: readonly ConsumerConfig[]): Promise<ConsumerSetup[]> {
  const setups: ConsumerSetup[] = []
  for (const [index, config] of configs.entries()) {
    const key = `consumers[${index}].module`
    let exports: Record<string, unknown>
    try {
      exports = (await import(pathToFileURL(config.module).href)) as Record<string, unknown>
    } catch (error) {
      throw new ConfigInvalid(
        `cannot import consumer module ${config.module}: ${describeImportError(config.module, error)}; fix or remove it`,
        { key },
        { cause: error },
      )
    }
    const consumer = instantiate(exports.default ?? exports.consumer, config.module, key)
    const topic = config.topic ?? consumer.topic
    assertConsumer({ ...consumer, topic, consume: consumer.consume }, key)
    setups.push({
      name: consumer.name ?? basename(config.module, extname(config.module)),
      consumer,
      patterns: toPatterns(topic),
      queueSize: config.queue_size ?? consumer.queueSize ?? DEFAULT_CONSUMER_QUEUE_SIZE,
      timeoutMs: config.timeout_ms ?? consumer.timeoutMs ?? DEFAULT_CONSUMER_TIMEOUT_MS,
    })
  }
  return setups
}

function instantiate(exported: unknown, module: string, key: string): Consumer {
  if (typeof exported === 'function') {
    try {
      return new (exported as new () => Consumer)()
    } catch (error) {
      throw new ConfigInvalid(
        `cannot instantiate the consumer class of ${module}: its constructor must take no arguments`,
        { key },
        { cause: error },
      )
    }
  }
  if (typeof exported === 'object' && exported !== null) return exported as Consumer
  throw new ConfigInvalid(
    `consumer module ${module} exports no consumer: export a class or object as default or as "consumer"`,
    { key },
  )
}

function assertConsumer(consumer: Partial<Consumer>, key: string): void {
  if (typeof consumer.consume !== 'function') {
    throw new ConfigInvalid(`${key}: a consumer needs a consume(message) method`, { key })
  }
  const topics = consumer.topic === undefined ? [] : toPatterns(consumer.topic)
  if (topics.length === 0 || topics.some((topic) => typeof topic !== 'string' || topic === '')) {
    throw new ConfigInvalid(
      `${key}: a consumer needs topic patterns (in the module or the config)`,
      { key },
    )
  }
}

function toPatterns(topic: string | readonly string[]): readonly string[] {
  return typeof topic === 'string' ? [topic] : [...topic]
}
