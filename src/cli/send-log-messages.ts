import { createInterface } from 'node:readline'
import type { FedmsgConfig } from '../config/config-types.js'
import { assertValidTopic } from '../crypto/policy/topic-pattern.js'
import { FedmsgError, UsageError } from '../errors.js'
import { createPublisher } from '../publisher/publisher.js'
import { EXIT } from './exit-codes.js'
import { warnAboutDevDefaults } from './dev-defaults-warning.js'
import { loadCliConfig } from './load-cli-config.js'
import { createCommandLogger } from './logging.js'
import { SendTally } from './send-summary.js'

/** Flags of `fedmsg logger`. */
export interface SendLogFlags {
  readonly topic: string
  readonly modname?: string
  readonly message?: string
  readonly jsonInput?: boolean
  readonly config?: string
  readonly certName: string
  /** Seconds to wait for each acknowledgement. */
  readonly timeout: number
  readonly logLevel?: FedmsgConfig['log_level']
}

/**
 * ZMQ_LINGER of the logger's socket. It closes only after every message was acknowledged (or given up on),
 * so nothing it still needs is queued; a short linger lets the process exit at once, even when the relay
 * never answered.
 */
const LOGGER_LINGER_MS = 100

/** Messages awaiting their acknowledgement at once with `--json-input`: enough to hide the round trip. */
const IN_FLIGHT = 64

/**
 * Runs `fedmsg logger`: signs each message as `--cert-name` and sends it through the relay (DEALER → ROUTER),
 * which acknowledges it once it has it. Returns the exit status: 0 when the relay acknowledged every message,
 * 1 when it rejected one, did not answer in time, or a `--json-input` line was not a JSON object (each
 * reported on stderr; `--json-input` ends with a summary line there). Configuration and key problems throw (exit status 2) before anything is sent.
 *
 * @example
 * ```ts
 * process.exitCode = await sendLogMessages({ topic: 'backup.complete', message: 'db01', certName: 'logger', timeout: 10 })
 * ```
 */
export async function sendLogMessages(flags: SendLogFlags): Promise<number> {
  if ((flags.message === undefined) === (flags.jsonInput !== true)) {
    throw new UsageError('give exactly one of --message TEXT or --json-input')
  }
  const { config, usingDevDefaults } = loadCliConfig(flags.config, { log_level: flags.logLevel })
  const log = createCommandLogger('fedmsg-logger', config.log_level)
  if (usingDevDefaults) warnAboutDevDefaults(log)
  const topic = logTopic(config, flags)
  assertValidTopic(topic)
  const publisher = await createPublisher({
    name: flags.certName,
    // `active`: a CLI never binds, it hands its messages to the relay and waits for the acknowledgement.
    config: { ...config, active: true, linger_ms: LOGGER_LINGER_MS },
    ackTimeoutMs: flags.timeout * 1000,
    logger: log,
  })
  let failures = 0
  const tally = new SendTally()
  const send = async (body: Record<string, unknown>, where: string) => {
    tally.sent()
    try {
      await publisher.publish(topic, body)
      tally.acknowledged()
    } catch (error) {
      failures += 1
      tally.failed(error)
      report(error, where)
    }
  }
  try {
    if (flags.message !== undefined) await send({ log: flags.message }, '')
    else failures += await sendJsonLines(send, tally)
  } finally {
    await publisher.close()
  }
  if (flags.jsonInput === true) process.stderr.write(`${tally.summary()}\n`)
  return failures === 0 ? EXIT.ok : EXIT.rejected
}

/** `<prefix>.<env>.<modname|logger>.<topic>`. */
function logTopic(config: FedmsgConfig, flags: SendLogFlags): string {
  return `${config.topic_prefix}.${config.environment}.${flags.modname ?? 'logger'}.${flags.topic}`
}

/** One message per stdin line (blank lines skipped); returns how many lines were not JSON objects. */
async function sendJsonLines(
  send: (body: Record<string, unknown>, where: string) => Promise<void>,
  tally: SendTally,
): Promise<number> {
  let bad = 0
  let lineNumber = 0
  const inFlight = new Set<Promise<void>>()
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNumber += 1
    if (line.trim() === '') continue
    const body = parseObject(line)
    if (body === undefined) {
      bad += 1
      tally.skipped()
      process.stderr.write(`fedmsg: line ${lineNumber}: not a JSON object, not sent\n`)
      continue
    }
    // Signing happens inside publish() in call order, so several in flight keep the order on the wire.
    const sending = send(body, `line ${lineNumber}: `).finally(() => inFlight.delete(sending))
    inFlight.add(sending)
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  return bad
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line)
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value)
    return isObject ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** A message the relay refused or did not acknowledge (or that could not be sent) is reported, not thrown. */
function report(error: unknown, where: string): void {
  if (!(error instanceof FedmsgError)) throw error
  process.stderr.write(`fedmsg: ${where}${error.message} [${error.code}]\n`)
}
