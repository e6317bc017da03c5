/**
 * A MessageVerifier reports every submitted message exactly once, by a verdict or within a loss, in submission
 * order: the relay pairs each report with the message it holds to acknowledge it. Bug: the pool reported a
 * dead thread's messages lost at once, ahead of earlier batches' verdicts, and a failed journal commit's
 * losses ahead of the batch's rejections, so a receiver pairing reports with messages paired them wrongly.
 *   submit 1..n -> VerifierPool (real threads) -> onResult | onLost(count), in order 1..n
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReplayAdmission } from '../../src/crypto/replay/replay-admission.js'
import { StateUnavailable } from '../../src/errors.js'
import { VerifierPool } from '../../src/verification/pool/verifier-pool.js'
import type { VerifierPoolOptions } from '../../src/verification/pool/verifier-pool-options.js'
import { makePki, type Pki } from '../fixtures/pki.js'
import { signed, signerOf, watchWorkers } from './pool-fixture.js'

let pki: Pki
beforeAll(async () => {
  pki = await makePki('es256')
})
const pools: VerifierPool[] = []
afterAll(async () => {
  for (const pool of pools) await pool.close()
})

/** A pool whose reports are recorded as one sequence: `i` of a verified message, a reason, or `lost:n`. */
async function recordingPool(options: Omit<VerifierPoolOptions, 'trustAnchors'>) {
  const pool = await VerifierPool.start({ trustAnchors: pki.anchors, ...options })
  pools.push(pool)
  const reports: (number | string)[] = []
  pool.deliverTo({
    onResult: (result) => reports.push(result.ok ? result.message.i : result.reason),
    onLost: (count) => reports.push(`lost:${count}`),
  })
  return { pool, reports }
}

const message = (i: number) => {
  const [topic, frame] = signed(signerOf(pki, pki.leaf), { i, timestamp: Date.now() })
  return [Buffer.from(topic), frame] as const
}

/** Walks the reports in order: each verified message must be the next one submitted, a loss skips its count. */
function assertInSubmissionOrder(reports: readonly (number | string)[], submitted: number): void {
  let next = 1
  for (const report of reports) {
    if (typeof report === 'number') expect({ report, next }).toEqual({ report, next: report })
    const lost = typeof report === 'string' ? /^lost:(\d+)$/.exec(report) : null
    next += lost === null ? 1 : Number(lost[1])
  }
  expect(next - 1).toBe(submitted)
}

describe('reports in submission order', () => {
  it('a commit that fails: each accepted message is reported lost where it stands, between the rejections', async () => {
    // A replay journal on a full disk: it admits, and cannot record.
    const admission: ReplayAdmission = {
      size: 0,
      admit: () => undefined,
      commit: () => {
        throw new StateUnavailable('no space left on device')
      },
    }
    const { pool, reports } = await recordingPool({
      workers: 1,
      batchSize: 8,
      replayAdmission: admission,
    })
    const garbage = [message(99)[0], Buffer.from('not json')] as const
    for (const frames of [message(1), message(2), garbage, message(3), garbage]) {
      await pool.submit(...frames)
    }
    await pool.drain()
    expect(reports).toEqual(['lost:2', 'malformed', 'lost:1', 'malformed'])
  })

  it('a thread that dies: its batches are reported lost in their place, after earlier verdicts', async () => {
    const watch = watchWorkers()
    const { pool, reports } = await recordingPool({ workers: 2, batchSize: 16 })
    watch.stop()
    const count = 160
    // Not awaited on purpose: the batches of both threads are in flight when one is terminated.
    for (let i = 1; i <= count; i += 1) void pool.submit(...message(i))
    void watch.started[1]!.terminate()
    await pool.drain()
    expect(reports.some((report) => typeof report === 'string')).toBe(true)
    assertInSubmissionOrder(reports, count)
  })
})
