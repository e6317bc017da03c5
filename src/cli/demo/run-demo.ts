import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BUNDLED_DEV_CA_DIR } from '../../config/bundled-dev-ca.js'
import type { FedmsgConfig } from '../../config/config-types.js'
import { devDefaults } from '../../config/dev-defaults.js'
import { startWebGateway } from '../../gateway/web-gateway.js'
import { registerHubMetrics } from '../../metrics/hub-metrics.js'
import { createMetricsRegistry } from '../../metrics/metrics-registry.js'
import { parseHostPort } from '../../metrics/metrics-server.js'
import { emptyRejectCounts } from '../../verification/reject-counts.js'
import { createCommandLogger } from '../logging.js'
import { runUntilSignal } from '../run-until-signal.js'
import { startDemoBus, type DemoBus } from './demo-bus.js'
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
  /** HOST:PORT of the web view; port 0 (the default) picks a free one. */
  readonly http?: string
}

/** The web view listens on a free port of the loopback interface unless `--http` says otherwise. */
export const DEMO_HTTP_DEFAULT = '127.0.0.1:0'

// examples/ sits next to dist/ and src/ in the package: three levels up from dist/cli/demo/.
const EXAMPLES = new URL('../../../examples/', import.meta.url)
const POLICY_FILE = fileURLToPath(new URL('demo-policy.json', EXAMPLES))
const ANNOUNCE_MODULE = fileURLToPath(new URL('consumers/announce.js', EXAMPLES))

const FORGER_INTERVAL_MS = 400
/** A forgery the hub has not rejected by then is shown as such (the summary says whether it got through). */
const VERDICT_TIMEOUT_MS = 2000

/**
 * Runs `fedmsg demo`: a whole bus in this process on the bundled dev CA (relay, hub with the example
 * consumer, five services, a forger, the gateway's web view), until Ctrl-C or `--duration`. Prints the web
 * view's URL, the verified traffic (from the example consumer), each forgery on one line with the reason
 * the hub rejected it with, and a summary; each line is written when it happens, so they read in time order.
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
  // The gateway's web side, fed by the demo's hub: the page verifies each message again, in the browser.
  let bus: DemoBus | undefined
  let stopping = false
  const registry = createMetricsRegistry()
  const web = await startWebGateway({
    ...parseHostPort(flags.http ?? DEMO_HTTP_DEFAULT),
    limits: {},
    trustAnchorsPem: config.trust.map((file) => readFileSync(file, 'utf8')).join('\n'),
    registry,
    rejected: () => bus?.hub.stats().rejected ?? emptyRejectCounts(),
    healthy: () => !stopping,
    logger: log,
  })
  try {
    bus = await startDemoBus(config, log, [
      { name: 'web view', topic: '>', consume: (message) => web.forward(message) },
    ])
  } catch (error) {
    await web.close()
    throw error
  }
  const running = bus
  registerHubMetrics(registry, () => running.hub.stats())
  const { inbound, outbound } = bus.relay.endpoints
  out(`bus up: relay ${inbound} → ${outbound}, policy ${POLICY_FILE}; Ctrl-C stops\n`)
  out(`web view: ${web.url} (each message verified again in your browser)\n\n`)
  const started = Date.now()
  const events = demoEvents()
  const publishing = repeat(1000 / flags.rate, async () => {
    const { service, topic, body } = events.next().value
    await running.publishers.get(service)!.publish(topic, body)
  })
  let forgedSent = 0
  const rejected = () => running.hub.stats().rejected
  const forging = repeat(FORGER_INTERVAL_MS, async () => {
    const before = { ...rejected() }
    const says = await running.forger.attack()
    if (says === undefined) return
    forgedSent += 1
    const reason = await nextRejection(rejected, before, VERDICT_TIMEOUT_MS)
    const verdict = reason ?? `no verdict in ${VERDICT_TIMEOUT_MS / 1000} s`
    out(`${clock()}  ✘ ${verdict.padEnd(13)}  forger sent ${says}\n`)
  })
  await runUntilSignal(
    async () => {
      stopping = true
      await Promise.all([publishing.stop(), forging.stop()])
      await running.close()
      await web.close()
    },
    flags.duration === undefined ? {} : { durationMs: flags.duration * 1000 },
  )
  out(
    formatSummary({
      seconds: (Date.now() - started) / 1000,
      verifiedBySigner: running.verifiedBySigner,
      rejected: running.hub.stats().rejected,
      forgedSent,
      forgedAccepted: running.verifiedBySigner['demo-forger'] ?? 0,
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
