import type { FedmsgConfig } from '../config/config-types.js'
import { assertValidTopicPattern, topicMatches } from '../crypto/policy/topic-pattern.js'
import type {
  Rejected,
  VerifiedMessage,
  VerifyResult,
} from '../crypto/envelope/verified-message.js'
import { CRL_POLL_INTERVAL_MS, CrlWatcher } from '../verification/crl-watcher.js'
import { tuningFromConfig } from '../transport/socket-options.js'
import { FrameSubscriber } from '../transport/subscriber.js'
import { heartbeatTopic, isHeartbeatPattern } from '../transport/topic-name.js'
import { cleanText } from '../meta/clean-text.js'
import { createSummarizerFromConfig } from '../meta/summarizer-from-config.js'
import { createMessageVerifier } from '../verification/verifier-from-config.js'
import { RejectionLog } from '../verification/rejection-log.js'
import { warnAboutDevDefaults } from './dev-defaults-warning.js'
import { loadCliConfig } from './load-cli-config.js'
import { createCommandLogger } from './logging.js'
import { subscribeAddresses } from './subscribe-addresses.js'
import { runUntilSignal } from './run-until-signal.js'
import { tailFormatter, type TailFormat } from './tail-format.js'

/** Flags of `fedmsg tail`. */
export interface TailFlags {
  readonly config?: string
  readonly topic: readonly string[]
  readonly exclude: readonly string[]
  readonly format: TailFormat
  readonly showRejected: boolean
  readonly connect: readonly string[]
  readonly logLevel?: FedmsgConfig['log_level']
}

/**
 * Runs `fedmsg tail` until SIGINT/SIGTERM (or until its reader closes the pipe): subscribes to the relay's
 * outbound and every endpoint (or `--connect`), verifies every message exactly as a hub does, through the
 * same MessageVerifier (on its own thread; replays of messages older than the tail included), reloads the
 * CRL files when they change, counts and logs rejections as a hub does, and prints the verified ones that
 * match. stdout gets only messages; stderr gets the log (the dev-defaults notice, CRL reloads and rejections,
 * at --log-level) and "connected to ADDRESS" once the handshake with a publisher succeeded.
 *
 * @example
 * ```ts
 * await tailBus({ topic: ['org.fedoraproject.*.bodhi.>'], exclude: [], connect: [], showRejected: true, format: 'terse' })
 * ```
 */
export async function tailBus(flags: TailFlags): Promise<void> {
  const { config, usingDevDefaults } = loadCliConfig(flags.config, { log_level: flags.logLevel })
  const log = createCommandLogger('fedmsg-tail', config.log_level)
  if (usingDevDefaults) warnAboutDevDefaults(log)
  const select = topicSelection(config, flags)
  const addresses = flags.connect.length > 0 ? flags.connect : subscribeAddresses(config)
  // A tail sees a bus that existed before it, and keeps no journal: it refuses what predates its start.
  const verifier = await createMessageVerifier(config, { notBeforeMs: Date.now() }, 0)
  const crlWatcher = await CrlWatcher.watch(config.crl, verifier, {
    intervalMs: CRL_POLL_INTERVAL_MS,
    logger: log,
  })
  const rejections = new RejectionLog(log)
  const failedProcessors = new Set<string>()
  const summarize = await createSummarizerFromConfig(config, {
    onProcessorError(name, error) {
      if (failedProcessors.has(name)) return
      failedProcessors.add(name)
      const why = cleanText(String(error), 200)
      process.stderr.write(
        `fedmsg tail: summary processor ${name} failed (${why}): fallback used\n`,
      )
    },
  })
  const format = tailFormatter(flags.format, summarize)
  const write = (text: string) => process.stdout.write(text)
  const showRejection = (rejected: Rejected) => {
    rejections.record(rejected, Date.now())
    if (flags.showRejected && select.rejected(rejected)) {
      write(format.rejected(rejected, Date.now()))
    }
  }
  verifier.deliverTo({
    onResult(result: VerifyResult) {
      if (!result.ok) showRejection(result)
      else if (select.verified(result.message)) write(format.verified(result.message))
    },
    onLost: (count, cause) => log.error({ err: cause, lost: count }, 'messages lost unverified'),
  })
  // Connected only once the loop listens for handshakes: a handshake done before that would go unreported.
  const subscriber = new FrameSubscriber({
    addresses: [],
    // Rejections can be on any topic (or none): then take everything and filter after verification.
    prefixes: flags.showRejected ? [''] : [`${config.topic_prefix}.`],
    tuning: tuningFromConfig(config),
    ...(config.curve?.client === undefined ? {} : { curve: config.curve.client }),
  })
  const loop = subscriber.run({
    onMessage: (topic, envelope) => verifier.submit(topic, envelope),
    onMalformed: showRejection,
    onHandshake: (address) => process.stderr.write(`fedmsg tail: connected to ${address}\n`),
  })
  try {
    for (const address of addresses) subscriber.connect(address)
  } catch (error) {
    subscriber.close()
    await loop
    await crlWatcher?.close()
    await verifier.close()
    throw error
  }
  const readerGone = new Promise<void>((resolve) => process.stdout.once('error', () => resolve()))
  await runUntilSignal(
    async () => {
      subscriber.close()
      await loop
      await crlWatcher?.close()
      await verifier.close()
    },
    { done: readerGone },
  )
}

/**
 * Which messages to print: `--topic` patterns (default: everything under the prefix) minus `--exclude`.
 * As in Python's fedmsg-tail, whose --topic was a ZeroMQ prefix subscription, a pattern also selects every
 * topic below the ones it names (`a.b` is `a.b` and `a.b.>`); unlike it, only on whole tokens.
 */
function topicSelection(config: FedmsgConfig, flags: TailFlags) {
  for (const pattern of [...flags.topic, ...flags.exclude]) assertValidTopicPattern(pattern)
  const include =
    flags.topic.length > 0 ? flags.topic.flatMap(andBelow) : [`${config.topic_prefix}.>`]
  const exclude = flags.exclude.flatMap(andBelow)
  const excluded = (topic: string) => exclude.some((pattern) => topicMatches(pattern, topic))
  return {
    /** Heartbeats only for patterns that name them (`….heartbeat`), as for hub consumers. */
    verified(message: VerifiedMessage): boolean {
      const isHeartbeat = message.topic === heartbeatTopic(config, message.signer.name)
      const patterns = isHeartbeat ? include.filter(isHeartbeatPattern) : include
      return patterns.some((p) => topicMatches(p, message.topic)) && !excluded(message.topic)
    },
    /** A rejection without a readable topic always shows: it cannot be told apart. */
    rejected(rejected: Rejected): boolean {
      const { topic } = rejected
      if (topic === undefined) return true
      const included = flags.topic.length === 0 || include.some((p) => topicMatches(p, topic))
      return included && !excluded(topic)
    },
  }
}

/** `pattern` and the topics below what it names; a pattern ending in `>` already has them. */
function andBelow(pattern: string): string[] {
  return pattern.endsWith('>') ? [pattern] : [pattern, `${pattern}.>`]
}
