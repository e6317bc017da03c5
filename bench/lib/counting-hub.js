// @ts-check
/**
 * A real hub (`createHub`) in this process whose one consumer does nothing but count: the far side of the
 * e2e benchmark. Its configuration is a consumer's (the PKI's root as anchor, its CRLs, every verifier option
 * default) with the socket high-water mark of the benchmark and `verify_workers` as asked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { encodePem, PEM_LABEL } from '../../dist/crypto/pem.js'
import { createHub, DEFAULT_CONFIG } from '../../dist/index.js'
import { initReplayJournal } from '../../dist/replay-journal/init-replay-journal.js'

/** `quiet()` resolves once nothing has arrived for this long. */
const QUIET_MS = 50

/**
 * @typedef {object} CountingHub
 * @property {import('../../dist/index.js').Hub} hub
 * @property {import('./far-side.js').Counter} counter messages the consumer got
 */

/**
 * The trust files a hub configuration names, in a temp dir; `remove()` deletes them.
 *
 * @param {import('./pki.js').Pki} pki
 */
export function writeTrustFiles(pki) {
  const dir = mkdtempSync(join(tmpdir(), 'fedmsg-bench-trust-'))
  const trust = join(dir, 'root-ca.crt')
  const crl = join(dir, 'crl.pem')
  writeFileSync(trust, encodePem(pki.anchor, PEM_LABEL.certificate))
  writeFileSync(crl, pki.crls.map((der) => encodePem(der, PEM_LABEL.crl)).join(''))
  return { trust, crl, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/**
 * Starts a hub connected to `address` only.
 *
 * @param {{ trust: string, crl: string }} files
 * @param {{ address: string, hwm: number, workers: number }} options
 * @returns {Promise<CountingHub>}
 */
export async function startCountingHub(files, { address, hwm, workers }) {
  let received = 0
  // A state directory initialised as `fedmsg hub --init-state` does: the hub journals as in production and
  // does not refuse its first clock skew of traffic.
  const stateDir = mkdtempSync(join(tmpdir(), 'fedmsg-bench-state-'))
  initReplayJournal(join(stateDir, 'hub'))
  const hub = await createHub({
    stateDir,
    config: {
      ...DEFAULT_CONFIG,
      trust: [files.trust],
      crl: [files.crl],
      high_water_mark: hwm,
      linger_ms: 0,
      heartbeat_interval_ms: 3_600_000,
      verify_workers: workers,
    },
    connect: [address],
    consumers: [
      {
        name: 'count',
        topic: `${DEFAULT_CONFIG.topic_prefix}.>`,
        consume() {
          received += 1
        },
      },
    ],
  })
  return {
    hub,
    counter: {
      count: () => received,
      async quiet() {
        for (let last = -1; last !== received;) {
          last = received
          await sleep(QUIET_MS)
        }
      },
      close: () => void hub.close(),
    },
  }
}

/**
 * Throws unless every message the hub received was verified and reached the consumer: a figure must never
 * count rejections, drops or lost batches.
 *
 * @param {import('../../dist/index.js').HubStats} stats
 */
export function mustHaveDeliveredAll(stats) {
  const rejected = Object.entries(stats.rejected).filter(([, n]) => n > 0)
  const consumer = stats.consumers['count']
  if (rejected.length > 0 || stats.verifyErrors > 0 || consumer?.dropped !== 0) {
    throw new Error(
      `hub did not deliver everything: rejected ${JSON.stringify(Object.fromEntries(rejected))}, ` +
        `verifyErrors ${stats.verifyErrors}, dropped ${consumer?.dropped}`,
    )
  }
}
