import { fileURLToPath } from 'node:url'
import { BUNDLED_DEV_CA_DIR } from '../../config/bundled-dev-ca.js'
import type { FedmsgConfig } from '../../config/config-types.js'
import { devDefaults } from '../../config/dev-defaults.js'
import { createCommandLogger } from '../logging.js'
import { runUntilSignal } from '../run-until-signal.js'
import { startDemoBus } from './demo-bus.js'
import { demoEvents } from './demo-events.js'
import { formatBanner, formatSummary } from './demo-report.js'
import { nextRejection } from './next-rejection.js'

/** Flags of `fedmsg demo`. */
export interface DemoFlags {
  /** Seconds; absent: until Ctrl-C. */
  readonly duration?: number
  /** Service messages per second, all services together. */
  readonly rate: number
  /** The relay's and hub's log on stderr; default `error`. */
  readonly logLevel?: FedmsgConfig['log_level']
}

// examples/ sits next to dist/ and src/ in the package: three levels up from dist/cli/demo/.
const EXAMPLES = new URL('../../../examples/', import.meta.url)
const POLICY_FILE = fileURLToPath(new URL('demo-policy.json', EXAMPLES))
const ANNOUNCE_MODULE = fileURLToPath(new URL('consumers/announce.js', EXAMPLES))

const FORGER_INTERVAL_MS = 400
/** A forgery the hub has not rejected by then is shown as such (the summary says whether it got through). */
const VERDICT_TIMEOUT_MS = 2000

/**
 * Runs `fedmsg demo`: a whole bus in this process on the bundled dev CA (relay, hub with the example
 * consumer, five services, a forger), until Ctrl-C or `--duration`. Prints the verified traffic (from the
 * example consumer), each forgery on one line with the reason the hub rejected it with, and a summary; each
 * line is written when it happens, so they read in time order.
 *
 * @example
 * ```ts
 * await runDemo({ duration: 10, rate: 4 })
 * ```
 */
export async function runDemo(flags: DemoFlags): Promise<void> {
  const out = (text: string) => process.stdout.write(text)
  out(formatBanner(BUNDLED_DEV_CA_DIR))
  // The banner is the demo's dev-CA notice; the log is the relay's and hub's own, quiet by default so that
  // the display stays readable (`--log-level warn` shows each rejection as a hub logs it).
  const log = createCommandLogger('fedmsg-demo', flags.logLevel ?? 'error')
  const config: FedmsgConfig = {
    ...devDefaults(),
    routing_policy: POLICY_FILE,
    consumers: [{ module: ANNOUNCE_MODULE }],
    linger_ms: 200,
  }
  const bus = await startDemoBus(config, log)
  const { inbound, outbound } = bus.relay.endpoints
  out(`bus up: relay ${inbound} → ${outbound}, policy ${POLICY_FILE}; Ctrl-C stops\n\n`)
  const started = Date.now()
  const events = demoEvents()
  const publishing = repeat(1000 / flags.rate, async () => {
    const { service, topic, body } = events.next().value
    await bus.publishers.get(service)!.publish(topic, body)
  })
  let forgedSent = 0
  const rejected = () => bus.hub.stats().rejected
  const forging = repeat(FORGER_INTERVAL_MS, async () => {
    const before = { ...rejected() }
    const says = await bus.forger.attack()
    if (says === undefined) return
    forgedSent += 1
    const reason = await nextRejection(rejected, before, VERDICT_TIMEOUT_MS)
    const verdict = reason ?? `no verdict in ${VERDICT_TIMEOUT_MS / 1000} s`
    out(`${clock()}  ✘ ${verdict.padEnd(13)}  forger sent ${says}\n`)
  })
  await runUntilSignal(
    async () => {
      await Promise.all([publishing.stop(), forging.stop()])
      await bus.close()
    },
    flags.duration === undefined ? {} : { durationMs: flags.duration * 1000 },
  )
  out(
    formatSummary({
      seconds: (Date.now() - started) / 1000,
      verifiedBySigner: bus.verifiedBySigner,
      rejected: bus.hub.stats().rejected,
      forgedSent,
      forgedAccepted: bus.verifiedBySigner['demo-forger'] ?? 0,
    }),
  )
}

const clock = () => new Date().toISOString().slice(11, 23)

/** Runs `task` every `intervalMs`, never two at once; a failure is printed and the next run goes ahead. */
function repeat(intervalMs: number, task: () => Promise<void>): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve()
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    running = task()
      .catch((error: unknown) => {
        process.stderr.write(`fedmsg demo: ${(error as Error).message}\n`)
      })
      .finally(() => (busy = false))
  }, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      return running
    },
  }
}
