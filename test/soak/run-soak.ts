/**
 * One soak run (issue 12 item 6):
 *
 *   s1…s6, victim (createPublisher, DEALER) ──> fedmsg relay (restarted) ──PUB──> fedmsg hub (SIGKILLed) ──> consumer
 *   attacker (PUB: replays, tampered, revoked key) ─────────────────────────────┘                    (appends SOAK_ID MSG_ID)
 *
 * First it measures the pipeline's capacity (every publisher sending as soon as its previous message is
 * acknowledged), then publishes at half of it for `minutes` while, on a schedule scaled to the run, it swaps
 * the CRLs, revokes `victim`, restarts the relay (SIGTERM) and SIGKILLs the hub, sampling both RSS.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { freePort } from '../fixtures/free-port.js'
import { initHubState } from '../fixtures/state-home.js'
import { startAttacker } from './soak-attacker.js'
import { writeSoakConfig } from './soak-config.js'
import { makeSoakPki } from './soak-pki.js'
import { soakProcess, type SoakProcess } from './soak-processes.js'
import {
  formatSoakReport,
  parseDispatches,
  soakVerdict,
  type Fault,
  type RssSample,
  type SoakVerdict,
} from './soak-report.js'
import { startTraffic } from './soak-traffic.js'

const SERVICES = ['s1', 's2', 's3', 's4', 's5', 's6', 'victim']
const CALIBRATION_MS = 5_000

export interface SoakResult {
  readonly verdict: SoakVerdict
  readonly report: string
}

const local = async () => `127.0.0.1:${await freePort()}`

export async function runSoak(options: {
  minutes: number
  dir: string
  sampleMs?: number
  /** Adds a publisher whose clock runs this many seconds fast (issue 12 item 1); 0 or absent: none. */
  clockAheadSeconds?: number
}): Promise<SoakResult> {
  const { dir } = options
  const durationMs = options.minutes * 60_000
  const pki = await makeSoakPki(dir, [...SERVICES, 'fastclock'])
  const { config, records, outbound, attacker: attackerBind } = await writeSoakConfig(dir, pki)
  // The hub runs with HOME = dir: its state directory is initialised as `fedmsg hub --init-state` does, so
  // the first start does not refuse one clock skew of traffic (which would make the calibration measure 0).
  initHubState(join(dir, '.local/state/fedmsg'))
  const hub = soakProcess('hub', { cwd: dir, config, metrics: await local() })
  const relay = soakProcess('relay', { cwd: dir, config, metrics: await local() })
  await relay.start()
  await hub.start()
  const attacker = await startAttacker({
    bind: attackerBind,
    relayOutbound: outbound,
    revoked: pki.certs.victim!,
    ratePerSecond: 20,
    ...(options.clockAheadSeconds
      ? { ahead: { ...pki.certs.fastclock!, aheadMs: options.clockAheadSeconds * 1000 } }
      : {}),
  })
  const rejections: Record<string, number> = {}
  const collectRejections = async () => {
    for (const [reason, count] of Object.entries(await hub.rejections())) {
      rejections[reason] = (rejections[reason] ?? 0) + count
    }
  }
  const traffic = await startTraffic(config, SERVICES)
  const dispatchedCount = () => readFileSync(records, 'utf8').split('\n').length - 1
  const faults: Fault[] = []
  const samples: RssSample[] = []
  const sampler = setInterval(() => {
    samples.push({
      at: Date.now(),
      hub: hub.rss(),
      relay: relay.rss(),
      hubStart: hub.starts,
      relayStart: relay.starts,
    })
  }, options.sampleMs ?? 5_000)

  try {
    // Capacity: unthrottled, after a second of warm-up.
    await delay(1_000)
    const before = dispatchedCount()
    await delay(CALIBRATION_MS)
    const capacity = ((dispatchedCount() - before) * 1000) / CALIBRATION_MS
    const rate = Math.max(1, capacity / 2)
    traffic.setRate(rate)

    const started = Date.now()
    const at = (fraction: number) => started + fraction * durationMs
    const restartRelay = async () => {
      const fault = { what: 'relay restart', at: Date.now(), readyAt: 0 }
      await relay.stop('SIGTERM')
      await relay.start()
      faults.push({ ...fault, readyAt: Date.now() })
    }
    const killHub = async () => {
      const fault = { what: 'hub SIGKILL', at: Date.now(), readyAt: 0 }
      await collectRejections()
      await hub.stop('SIGKILL')
      await hub.start()
      faults.push({ ...fault, readyAt: Date.now() })
    }
    const schedule: [number, string, () => Promise<void>][] = [
      ...Array.from({ length: 9 }, (_, k): [number, string, () => Promise<void>] => [
        at((k + 1) / 10),
        'CRL swap',
        () => pki.swapCrls(),
      ]),
      [at(0.2), 'hub SIGKILL', killHub],
      [
        at(0.3),
        'revoke victim',
        async () => {
          const revokedAt = Date.now()
          const reloadsBefore = await hub.metric('fedmsg_hub_crl_reloads_total')
          await pki.revoke('victim')
          faults.push({
            what: 'victim revoked',
            at: revokedAt,
            readyAt: Infinity,
            service: 'victim',
          })
          // The revoked key is tried once the hub has reloaded its CRLs since the revocation: it reads a
          // changed file only once the file stayed the same for a whole poll, so a fixed wait is not enough.
          void waitForReload(hub, reloadsBefore).then(() => attacker.useRevokedKey())
        },
      ],
      [at(0.45), 'relay restart', restartRelay],
      [at(0.6), 'hub SIGKILL', killHub],
      [at(0.8), 'hub SIGKILL', killHub],
      [at(0.9), 'relay restart', restartRelay],
    ]
    schedule.sort(([a], [b]) => a - b)
    for (const [when, , run] of schedule) {
      await delay(Math.max(0, when - Date.now()))
      await run()
    }
    await delay(Math.max(0, started + durationMs - Date.now()))
    await traffic.stop()
    await attacker.stop()
    // Drain: wait until the consumer's record stops growing.
    for (let last = -1; last !== dispatchedCount();) {
      last = dispatchedCount()
      await delay(2_000)
    }
    await collectRejections()
    const verdict = soakVerdict(
      traffic.acks,
      parseDispatches(readFileSync(records, 'utf8')),
      faults,
    )
    const report = formatSoakReport({
      minutes: options.minutes,
      capacity,
      rate,
      verdict,
      faults,
      samples,
      failures: traffic.failures,
      attacks: attacker.sent,
      rejections,
    })
    return { verdict, report }
  } finally {
    clearInterval(sampler)
    await traffic.stop().catch(() => undefined)
    await attacker.stop().catch(() => undefined)
    await hub.stop('SIGKILL')
    await relay.stop('SIGKILL')
  }
}

/** Resolves once the hub's CRL reload count passed `before` (a killed hub starts again at 0: any reload counts). */
async function waitForReload(hub: SoakProcess, before: number | undefined): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const now = await hub.metric('fedmsg_hub_crl_reloads_total')
    if (now !== undefined && now !== before) return
    await delay(250)
  }
}
