/**
 * Both verifying paths go through one ReplayAdmission, and neither acts on a message its admission could not
 * commit (a replay journal on a full disk): inline, the message is reported lost; in the pool, the accepted
 * messages of the batch are, and its rejections are still delivered.
 *   frames -> InlineVerifier(EnvelopeVerifier) | VerifierPool -> admission.admit ... commit -X -> onLost
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { InlineVerifier } from '../../src/verification/message-verifier.js'
import type { ReplayAdmission } from '../../src/crypto/replay/replay-admission.js'
import { ReplayCache } from '../../src/crypto/replay/replay-cache.js'
import type { VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import { StateUnavailable } from '../../src/errors.js'
import { makePki, type Pki } from '../fixtures/pki.js'
import { signed, signerOf, startPool, type PoolHarness } from './pool-fixture.js'

/** An admission whose storage fails on demand, as a replay journal on a full disk does. */
class FailingStorage implements ReplayAdmission {
  readonly cache = new ReplayCache(330_001)
  failing = false
  commits = 0
  get size() {
    return this.cache.size
  }
  admit(msgId: string, timestamp: number, now: number) {
    this.cache.admit(msgId, timestamp, now)
  }
  commit() {
    this.commits += 1
    if (this.failing) throw new StateUnavailable('no space left on device')
  }
}

let pki: Pki
beforeAll(async () => {
  pki = await makePki('es256')
})

const message = (i: number) => signed(signerOf(pki, pki.leaf), { i, timestamp: Date.now() })

describe('inline path', () => {
  it('admits and commits through the given admission; a commit that fails → lost, never delivered', () => {
    const admission = new FailingStorage()
    const inline = new InlineVerifier(
      new EnvelopeVerifier({ trustAnchors: pki.anchors, replayAdmission: admission }),
    )
    const results: VerifyResult[] = []
    const lost: unknown[] = []
    inline.deliverTo({ onResult: (r) => results.push(r), onLost: (_n, cause) => lost.push(cause) })
    const first = message(1)
    inline.submit(Buffer.from(first[0]), first[1])
    inline.submit(Buffer.from(first[0]), first[1])
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['ok', 'replay'])
    expect(admission.commits).toBe(1)
    admission.failing = true
    const second = message(2)
    inline.submit(Buffer.from(second[0]), second[1])
    expect(results).toHaveLength(2)
    expect(lost).toEqual([expect.objectContaining({ code: 'ERR_FEDMSG_STATE_UNAVAILABLE' })])
  })
})

describe('worker pool path', () => {
  let harness: PoolHarness
  const admission = new FailingStorage()
  beforeAll(async () => {
    harness = await startPool({
      trustAnchors: pki.anchors,
      workers: 1,
      batchSize: 4,
      replayAdmission: admission,
    })
  })
  afterAll(() => harness.pool.close())

  it('one commit per batch; a replay across batches is caught by the shared admission', async () => {
    const batch = [message(1), message(2), message(3), message(4)]
    expect((await harness.verify(batch)).every((r) => r.ok)).toBe(true)
    const again = await harness.verify([batch[0]!])
    expect(again.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['replay'])
    expect(admission.size).toBe(4)
  })

  it('a commit that fails: the batch accepted messages are lost, its rejections still delivered', async () => {
    admission.failing = true
    const garbage = [message(9)[0], Buffer.from('not json')] as const
    const results = await harness.verify([message(5), garbage, message(6)])
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['malformed'])
    expect(harness.lost.at(-1)).toMatchObject({ count: 2 })
    admission.failing = false
  })
})
