import { pathToFileURL } from 'node:url'
import type { SummaryProcessorConfig } from '../config/config-types.js'
import { ConfigInvalid } from '../errors.js'
import type { MessageProcessor } from './message-summary.js'

/**
 * Imports each `summary_processors[].module` (an absolute path after config loading, resolved like
 * `consumers[].module`). A module exports its processor as `default` or as `processor`: an object with
 * `name`, `services` (topic service tokens) and `summarize(message, event)`. Throws ConfigInvalid naming the
 * key for a module that cannot be imported or exports no processor.
 *
 * @example
 * ```ts
 * const processors = await loadSummaryProcessors(config.summary_processors ?? [])
 * const summarize = createSummarizer({ processors, topicPrefix: config.topic_prefix })
 * ```
 */
export async function loadSummaryProcessors(
  configs: readonly SummaryProcessorConfig[],
): Promise<MessageProcessor[]> {
  const processors: MessageProcessor[] = []
  for (const [index, config] of configs.entries()) {
    const key = `summary_processors[${index}].module`
    let exports: Record<string, unknown>
    try {
      exports = (await import(pathToFileURL(config.module).href)) as Record<string, unknown>
    } catch (error) {
      throw new ConfigInvalid(
        `cannot import summary processor module ${config.module}: fix or remove it`,
        { key },
        { cause: error },
      )
    }
    processors.push(assertProcessor(exports.default ?? exports.processor, config.module, key))
  }
  return processors
}

function assertProcessor(exported: unknown, module: string, key: string): MessageProcessor {
  const candidate = exported as Partial<MessageProcessor> | undefined
  const services = candidate?.services
  if (
    typeof candidate?.summarize !== 'function' ||
    typeof candidate.name !== 'string' ||
    !Array.isArray(services) ||
    services.length === 0 ||
    !services.every((service) => typeof service === 'string' && /^[A-Za-z0-9_-]+$/.test(service))
  ) {
    throw new ConfigInvalid(
      `summary processor module ${module} exports no processor: export { name, services: ['token', …], summarize(message, event) } as default or as "processor"`,
      { key },
    )
  }
  return candidate as MessageProcessor
}
