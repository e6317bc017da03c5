import type { FedmsgConfig } from '../config/config-types.js'
import { loadSummaryProcessors } from './load-summary-processors.js'
import type { Summarize } from './message-summary.js'
import { createSummarizer, type SummarizerOptions } from './summarize-message.js'

/**
 * The summarizer of a configuration: the site's `summary_processors` before the built-in ones, on its
 * `topic_prefix`.
 *
 * @example
 * ```ts
 * const summarize = await createSummarizerFromConfig(config)
 * console.log(summarize(message).subtitle)
 * ```
 */
export async function createSummarizerFromConfig(
  config: Pick<FedmsgConfig, 'topic_prefix' | 'summary_processors'>,
  options: Pick<SummarizerOptions, 'onProcessorError'> = {},
): Promise<Summarize> {
  const processors = await loadSummaryProcessors(config.summary_processors ?? [])
  return createSummarizer({ ...options, processors, topicPrefix: config.topic_prefix })
}
