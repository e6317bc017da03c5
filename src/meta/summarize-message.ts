import { cleanText, cleanUrl } from './clean-text.js'
import { BUILTIN_PROCESSORS } from './builtin-processors.js'
import type {
  MessageProcessor,
  MessageSummary,
  ProcessorSummary,
  Summarize,
  SummaryInput,
} from './message-summary.js'

/** Bounds of every summary, in one place. */
export const SUMMARY_DEFAULTS = {
  /** The topic prefix processors' service tokens follow (`topic_prefix`). */
  topicPrefix: 'org.fedoraproject',
  /** Code points of a subtitle, the `…` included. */
  maxSubtitleLength: 300,
  /** Code points of one user or package name. */
  maxNameLength: 64,
  /** Names kept per list. */
  maxNames: 50,
  /** Characters of a link or icon URL. */
  maxUrlLength: 2048,
} as const

export interface SummarizerOptions {
  /** Site processors: they come before the built-in ones, so a site can replace one for a service. */
  readonly processors?: readonly MessageProcessor[]
  /** Default true: also use the processors for the seed's services (bodhi, koji, fas, wiki, git, …). */
  readonly builtins?: boolean
  readonly topicPrefix?: string
  readonly maxSubtitleLength?: number
  /** Told when a processor threw or returned no subtitle: the fallback summary was used instead. */
  readonly onProcessorError?: (processor: string, error: unknown) => void
}

/**
 * Builds a summarizer: finds the processor for a message's service token, runs it, cleans and bounds what it
 * returned. Messages of unknown services, and messages a processor fails on, get the fallback summary
 * (`<signer> published <topic>`). Never throws, whatever the body holds.
 *
 * @example
 * ```ts
 * const summarize = createSummarizer({ topicPrefix: 'org.fedoraproject' })
 * summarize(message).subtitle // 'lmacken submitted python-requests-2.31.0-1.fc40 to testing'
 * ```
 */
export function createSummarizer(options: SummarizerOptions = {}): Summarize {
  const byService = new Map<string, MessageProcessor>()
  const all = [
    ...(options.processors ?? []),
    ...(options.builtins === false ? [] : BUILTIN_PROCESSORS),
  ]
  for (const processor of all) {
    for (const service of processor.services)
      if (!byService.has(service)) byService.set(service, processor)
  }
  const prefix = `${options.topicPrefix ?? SUMMARY_DEFAULTS.topicPrefix}.`
  const maxSubtitle = options.maxSubtitleLength ?? SUMMARY_DEFAULTS.maxSubtitleLength
  return (message) => {
    const topic = typeof message.topic === 'string' ? message.topic : ''
    // <prefix>.<environment>.<service>.<event…>
    const tokens = topic.startsWith(prefix) ? topic.slice(prefix.length).split('.') : []
    const service = tokens[1] ?? ''
    const processor = byService.get(service)
    if (processor !== undefined) {
      try {
        const produced = processor.summarize(message, tokens.slice(2).join('.'))
        if (typeof produced?.subtitle !== 'string' || produced.subtitle.trim() === '') {
          throw new TypeError('the processor returned no subtitle')
        }
        return clean(produced, processor.name, processor.icon, maxSubtitle)
      } catch (error) {
        options.onProcessorError?.(processor.name, error)
      }
    }
    return fallback(message, topic, service, maxSubtitle)
  }
}

/** For messages no processor knows: who published what. */
function fallback(
  message: SummaryInput,
  topic: string,
  service: string,
  max: number,
): MessageSummary {
  const signer = typeof message.signer?.name === 'string' ? message.signer.name : 'someone'
  return clean(
    { subtitle: `${signer} published ${topic || 'a message'}` },
    service || 'unknown',
    undefined,
    max,
  )
}

function clean(
  produced: ProcessorSummary,
  service: string,
  icon: string | undefined,
  maxSubtitle: number,
): MessageSummary {
  const { maxUrlLength } = SUMMARY_DEFAULTS
  return {
    subtitle: cleanText(produced.subtitle, maxSubtitle),
    link: cleanUrl(textOrUndefined(produced.link), maxUrlLength),
    usernames: cleanNames(produced.usernames),
    packages: cleanNames(produced.packages),
    icon: cleanUrl(textOrUndefined(produced.icon) ?? icon, maxUrlLength),
    service: cleanText(service, SUMMARY_DEFAULTS.maxNameLength),
  }
}

function cleanNames(names: unknown): string[] {
  if (!Array.isArray(names)) return []
  const kept = new Set<string>()
  for (const name of names) {
    if (kept.size === SUMMARY_DEFAULTS.maxNames) break
    if (typeof name !== 'string') continue
    const text = cleanText(name, SUMMARY_DEFAULTS.maxNameLength)
    if (text !== '') kept.add(text)
  }
  return [...kept]
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
