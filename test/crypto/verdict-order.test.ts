/**
 * A MessageVerifier names, with each verdict, the envelope frame it is for (the object given to submit), so
 * that a receiver holding messages (the relay, to acknowledge and forward each) pairs verdicts with messages
 * even when lost messages came between: a dead thread's batches, a journal that could not record a batch.
 *   submit 1..n -> InlineVerifier | VerifierPool (real threads) -> onResult(result, ms, frame) | onLost(count)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { ReplayAdmission } from '../../src/crypto/replay/replay-admission.js'
import { StateUnavailable } from '../../src/errors.js'
import { InlineVerifier, type MessageVerifier } from '../../src/verification/message-verifier.js'
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

/** Each verdict as the index of the submitted frame it names (-1: none of them), and the losses' total. */
function record(verifier: MessageVerifier, frames: readonly Uint8Array[]) {
  const named: number[] = []
  const lost = { count: 0 }
  verifier.deliverTo({
    onResult: (_result, _ms, frame) => named.push(frames.indexOf(frame)),
    onLost: (count) => (lost.count += count),
  })
  return { named, lost }
}

async function startPool(options: Omit<VerifierPoolOptions, 'trustAnchors'>) {
  const pool = await VerifierPool.start({ trustAnchors: pki.anchors, ...options })
  pools.push(pool)
  return pool
}

const messages = (count: number) =>
  Array.from({ length: count }, (_, n) => {
    const [topic, frame] = signed(signerOf(pki, pki.leaf), { i: n + 1, timestamp: Date.now() })
    return [Buffer.from(topic), frame] as const
  })

/** The named indexes rise strictly, and with the losses account for every message. */
function expectPairedInOrder(named: readonly number[], lost: number, submitted: number): void {
  expect(named.every((index, at) => index >= 0 && (at === 0 || index > named[at - 1]!))).toBe(true)
  expect(named.length + lost).toBe(submitted)
}

describe('each verdict names the envelope frame it is for', () => {
  it('inline', () => {
    const batch = messages(3)
    const inline = new InlineVerifier(new EnvelopeVerifier({ trustAnchors: pki.anchors }))
    const { named } = record(
      inline,
      batch.map(([, frame]) => frame),
    )
    for (const frames of batch) inline.submit(...frames)
    expect(named).toEqual([0, 1, 2])
  })

  it('a thread that dies: the verdicts after its lost batches still name their own frames', async () => {
    const watch = watchWorkers()
    const pool = await startPool({ workers: 2, batchSize: 16 })
    watch.stop()
    const batch = messages(160)
    const { named, lost } = record(
      pool,
      batch.map(([, frame]) => frame),
    )
    // Not awaited on purpose: the batches of both threads are in flight when one is terminated.
    for (const frames of batch) void pool.submit(...frames)
    void watch.started[1]!.terminate()
    await pool.drain()
    expect(lost.count).toBeGreaterThan(0)
    expectPairedInOrder(named, lost.count, batch.length)
  })

  it('a commit that fails: the rejections delivered name their own frames', async () => {
    // A replay journal on a full disk: it admits, and cannot record.
    const admission: ReplayAdmission = {
      size: 0,
      admit: () => undefined,
      commit: () => {
        throw new StateUnavailable('no space left on device')
      },
    }
    const pool = await startPool({ workers: 1, batchSize: 8, replayAdmission: admission })
    const [first, second] = messages(2)
    const garbage = [first![0], Buffer.from('not json')] as const
    const batch = [first!, garbage, second!, [second![0], Buffer.from('{}')] as const]
    const { named, lost } = record(
      pool,
      batch.map(([, frame]) => frame),
    )
    for (const frames of batch) await pool.submit(...frames)
    await pool.drain()
    expect({ named, lost: lost.count }).toEqual({ named: [1, 3], lost: 2 })
  })
})
