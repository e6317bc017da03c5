/**
 * The worker threads of a VerifierPool: a thread that dies is replaced and what it held is reported lost,
 * never delivered; close() ends every thread (a process using a pool exits on its own afterwards); bad
 * options fail on the caller's thread before any thread starts. The batch format is checked in-process.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import type { VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import {
  buildWorkerVerifier,
  packBatch,
  verifyBatch,
  type VerdictList,
} from '../../src/verification/pool/verifier-pool-protocol.js'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import { VerifierPool } from '../../src/verification/pool/verifier-pool.js'
import { makePki, type Pki } from '../fixtures/pki.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { exited, signed, signerOf, startPool, watchWorkers } from './pool-fixture.js'

const run = promisify(execFile)
const DIST_POOL = pathToFileURL(
  join(import.meta.dirname, '../../dist/verification/pool/verifier-pool.js'),
)

let pki: Pki
let bodhi: EnvelopeSigner
let dir: string

beforeAll(async () => {
  pki = await makePki('es256')
  bodhi = signerOf(pki, pki.leaf)
  dir = mkdtempSync(join(tmpdir(), 'fm-pool-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const verdict = (result: VerifyResult) => (result.ok ? 'ok' : result.reason)

describe('a thread that dies', () => {
  it('is replaced; the batches it held are reported lost and never delivered; later messages flow', async () => {
    const watch = watchWorkers()
    const harness = await startPool({ trustAnchors: pki.anchors, workers: 2, batchSize: 16 })
    try {
      expect(watch.started).toHaveLength(2)
      const messages = Array.from({ length: 160 }, (_, n) =>
        signed(bodhi, { i: n + 1, timestamp: Date.now() }),
      )
      // Backpressure promises are not awaited on purpose: every batch the first thread takes is in flight
      // when it is terminated, in the same turn.
      for (const [topic, frame] of messages) void harness.pool.submit(Buffer.from(topic), frame)
      void watch.started[0]!.terminate()
      await harness.pool.drain()

      const lost = harness.lost.reduce((sum, loss) => sum + loss.count, 0)
      expect(lost).toBeGreaterThan(0)
      expect(lost % 16).toBe(0)
      expect(harness.results.length + lost).toBe(160)
      expect(harness.results.every((result) => result.ok)).toBe(true)
      const is = harness.results.map((result) => (result.ok ? result.message.i : 0))
      expect(is).toEqual([...new Set(is)].sort((a, b) => a - b))

      await waitUntil(() => watch.started.length === 3, 'the replacement thread')
      const after = await harness.verify([signed(bodhi, { i: 161, timestamp: Date.now() })])
      expect(after.map(verdict)).toEqual(['ok'])
    } finally {
      watch.stop()
      await harness.pool.close()
    }
  })
})

describe('close()', () => {
  it('ends every thread of the pool', async () => {
    const watch = watchWorkers()
    const harness = await startPool({ trustAnchors: pki.anchors, workers: 2 })
    watch.stop()
    await harness.verify([signed(bodhi, { i: 1, timestamp: Date.now() })])
    await harness.pool.close()
    await Promise.all(watch.started.map(exited))
    expect(watch.started.map((worker) => worker.threadId)).toEqual([-1, -1])
    expect(() => harness.pool.submit(Buffer.from('t'), Buffer.from('{}'))).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CLOSED' }),
    )
  })

  it('a process that used a pool exits on its own once it is closed (no thread left behind)', async () => {
    const script = join(dir, 'use-pool.mjs')
    writeFileSync(
      script,
      `import { VerifierPool } from ${JSON.stringify(DIST_POOL.href)}
const [anchor, topic, frame] = process.argv.slice(2)
const pool = await VerifierPool.start({ trustAnchors: [Buffer.from(anchor, 'base64')], workers: 2 })
let verdict = 'none'
pool.deliverTo({ onResult: (r) => (verdict = r.ok ? 'ok' : r.reason), onLost: () => undefined })
await pool.submit(Buffer.from(topic), Buffer.from(frame, 'base64'))
await pool.drain()
await pool.close()
console.log(verdict)
`,
    )
    const [topic, frame] = signed(bodhi, { i: 1, timestamp: Date.now() })
    const anchor = Buffer.from(pki.anchors[0]!).toString('base64')
    // Were a thread left running, the child would never exit and the timeout would kill it (a rejection).
    const { stdout } = await run(
      process.execPath,
      [script, anchor, topic, frame.toString('base64')],
      { timeout: 20_000 },
    )
    expect(stdout).toBe('ok\n')
  })
})

describe('options', () => {
  it.each([
    [
      'a trust anchor that is not a certificate',
      { trustAnchors: ['not PEM'] },
      'ERR_FEDMSG_CERT_INVALID',
    ],
    ['a CRL that is not a CRL', { crls: [new Uint8Array([0x30, 0])] }, 'ERR_FEDMSG_CRL_INVALID'],
    [
      'a routing policy that is not one',
      { policyJson: { rules: 'x' } },
      'ERR_FEDMSG_CONFIG_INVALID',
    ],
  ])('%s throws %s before any thread starts', async (_name, options, code) => {
    const watch = watchWorkers()
    try {
      await expect(
        VerifierPool.start({ trustAnchors: pki.anchors, workers: 1, ...options }),
      ).rejects.toMatchObject({ code })
      expect(watch.started).toHaveLength(0)
    } finally {
      watch.stop()
    }
  })

  it('a RoutingPolicy passed as policy (VerifierOptions spread in) is a TypeError, not an allow-all pool', async () => {
    const options = {
      trustAnchors: pki.anchors,
      policy: RoutingPolicy.fromJson({ default: 'deny', rules: [] }),
      workers: 1,
    }
    await expect(VerifierPool.start(options)).rejects.toThrow(/policyJson/)
  })

  it.each([0, 1.5, -1])('workers %s is a TypeError', async (workers) => {
    await expect(VerifierPool.start({ trustAnchors: pki.anchors, workers })).rejects.toThrow(
      TypeError,
    )
  })
})

describe('the batch format (in-process)', () => {
  it('packBatch and verifyBatch carry each message and its verdict, signers listed once', () => {
    const now = Date.now()
    const frames = [
      signed(bodhi, { i: 1, timestamp: now }),
      ['org.fedoraproject.prod.bodhi.x', '{}'] as const,
      signed(bodhi, { i: 2, timestamp: now }),
    ].flatMap(([topic, frame]) => [Buffer.from(topic), Buffer.from(frame)])
    const verifier = buildWorkerVerifier({ trustAnchors: pki.anchors, crls: [] }, () => now)
    const list = JSON.parse(verifyBatch(verifier, packBatch(7, now, frames))) as VerdictList
    expect(list.signers).toHaveLength(1)
    expect(list.signers[0]).toMatchObject({ name: 'bodhi' })
    expect(list.verdicts.map((v) => (v.ok ? v.i : v.reason))).toEqual([1, 'malformed', 2])
    expect(list.verdicts.every((v) => v.ms >= 0)).toBe(true)
  })
})
