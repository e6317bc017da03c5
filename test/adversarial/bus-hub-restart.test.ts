/**
 * B3: replay across a hub restart, on real sockets, with the hubs' clock injected (`now`).
 *
 *   attacker XPUB --M1, M2, M3--> hub #1 (accepts all three) ; hub #1 closes
 *   clock moves to RESTART ; hub #2 starts (notBefore = RESTART)
 *   attacker --exact frames of M1, M2 again--X hub #2 (replay) ; --M3 again--> hub #2 (residual, R6)
 *
 * The replay cache is in memory, so hub #2 knows nothing of what hub #1 accepted; it refuses every message
 * stamped before it started, with no clock skew allowed (docs/protocol.md §5, check 7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner, SignedEnvelope } from '../../src/crypto/envelope-signer.js'
import { createHub } from '../../src/transport/hub.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, rawPublisher, recorder, topicOf, type Bus } from '../transport/bus-fixture.js'

const SKEW_MS = 30_000
const FIRST_START = Date.now()
const RESTART = FIRST_START + 10_000

let bus: Bus
let bodhi: EnvelopeSigner
let i = 0
beforeAll(async () => {
  bus = await makeBus()
  bodhi = bus.signerFor(bus.pki.leaf)
})
afterAll(() => bus.cleanup())

const stampedAt = (timestamp: number, suffix: string): SignedEnvelope =>
  bodhi.sign({ topic: topicOf('bodhi', suffix), msg: { suffix }, i: ++i, timestamp })

/** One hub life at clock `at`: sends `messages` once the hub listens, returns what it dispatched and counted. */
async function hubLife(at: number, messages: readonly SignedEnvelope[]) {
  const address = await uniqueAddress('tcp', bus.dir)
  const attacker = await rawPublisher(address)
  const seen = recorder('org.fedoraproject.>')
  const hub = await createHub({
    config: bus.config({ endpoints: { forger: [address] }, clock_skew_seconds: SKEW_MS / 1000 }),
    consumers: [seen],
    now: () => at,
  })
  try {
    await attacker.subscribed()
    for (const { topic, frame } of messages) await attacker.send([topic, frame])
    await waitUntil(() => hub.stats().received === messages.length, `${messages.length} messages`)
    await hub.drain()
    return {
      startedAt: hub.startedAt,
      suffixes: seen.messages.map((m) => m.body.suffix),
      stats: hub.stats(),
    }
  } finally {
    await hub.close()
    attacker.socket.close()
  }
}

describe('B3: replay across a hub restart', () => {
  // M1: an ordinary message. M2: stamped 1 ms before the restart, accepted by hub #1 because a publisher's
  // clock may run ahead by the skew. M3: stamped 1 s after the restart, also ahead of hub #1's clock.
  let second: Awaited<ReturnType<typeof hubLife>>

  beforeAll(async () => {
    const m1 = stampedAt(FIRST_START, 'ordinary')
    const m2 = stampedAt(RESTART - 1, 'just-before-restart')
    const m3 = stampedAt(RESTART + 1000, 'after-restart')
    const first = await hubLife(FIRST_START, [m1, m2, m3])
    expect(first.suffixes).toEqual(['ordinary', 'just-before-restart', 'after-restart'])
    second = await hubLife(RESTART, [m1, m2, m3, stampedAt(RESTART, 'fresh')])
  })

  it('hub #2 starts at the restart instant (its replay floor)', () => {
    expect(second.startedAt).toBe(RESTART)
  })

  it('the exact frames of a message hub #1 accepted → replay in hub #2', () => {
    expect(second.suffixes).not.toContain('ordinary')
  })

  it('a message stamped just before the restart (within the skew) → replay: no skew on the restart floor', () => {
    expect(second.suffixes).not.toContain('just-before-restart')
    expect(second.stats.rejected.replay).toBe(2)
  })

  it('a message stamped exactly at the restart is accepted', () => {
    expect(second.suffixes).toContain('fresh')
  })

  it('residual (R6): a message stamped after the restart that hub #1 accepted ahead of its clock is accepted again', () => {
    expect(second.suffixes).toEqual(['after-restart', 'fresh'])
  })
})

describe('B3: the cost of the strict restart floor', () => {
  it('a new message from a publisher whose clock runs 1 s behind, right after the start → replay, counted', async () => {
    const start = Date.now()
    const lagging = stampedAt(start - 1000, 'lagging-clock')
    const onTime = stampedAt(start, 'on-time')
    const life = await hubLife(start, [lagging, onTime])
    expect(life.suffixes).toEqual(['on-time'])
    expect(life.stats.rejected.replay).toBe(1)
  })
})
