/**
 * B3: replay across a hub restart, on real sockets, with the hubs' clock injected (`now`), through the inline
 * path (verify_workers 0) and the worker pool (2).
 *
 *   attacker XPUB --M1, M2, M3--> hub #1 (accepts all three, journals them) ; hub #1 closes
 *   clock moves to RESTART ; hub #2 starts and reads the journal in state_dir
 *   attacker --exact frames of M1, M2, M3 again--X hub #2 (replay)
 *
 * Bug (#12, item 1): the replay cache lived in memory and hub #2 only refused messages stamped before its
 * start, so M3 (stamped after the restart, accepted by hub #1 because a publisher's clock may run ahead by
 * the skew) was dispatched a second time.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner, SignedEnvelope } from '../../src/crypto/envelope/envelope-signer.js'
import { createHub } from '../../src/hub/hub.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { initHubState } from '../fixtures/state-home.js'
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

/** A state directory as a hub's first run leaves it. */
function freshStateDir(): string {
  const dir = mkdtempSync(join(bus.dir, 'state-'))
  initHubState(dir)
  return dir
}

/** One hub life at clock `at`: sends `messages` once the hub listens, returns what it dispatched and counted. */
async function hubLife(
  at: number,
  messages: readonly SignedEnvelope[],
  stateDir: string,
  workers: number,
) {
  const address = await uniqueAddress('tcp', bus.dir)
  const attacker = await rawPublisher(address)
  const seen = recorder('org.fedoraproject.>')
  const hub = await createHub({
    config: bus.config({
      endpoints: { forger: [address] },
      clock_skew_seconds: SKEW_MS / 1000,
      verify_workers: workers,
      state_dir: stateDir,
    }),
    consumers: [seen],
    now: () => at,
  })
  try {
    await attacker.subscribed()
    for (const { topic, frame } of messages) await attacker.send([topic, frame])
    await waitUntil(() => hub.stats().received === messages.length, `${messages.length} messages`)
    await hub.drain()
    return { suffixes: seen.messages.map((m) => m.body.suffix), stats: hub.stats() }
  } finally {
    await hub.close()
    attacker.socket.close()
  }
}

describe.each([0, 2])('B3: replay across a hub restart (verify_workers %i)', (workers) => {
  // M1: an ordinary message. M2: stamped 1 ms before the restart, accepted by hub #1 because a publisher's
  // clock may run ahead by the skew. M3: stamped 1 s after the restart, also ahead of hub #1's clock.
  let second: Awaited<ReturnType<typeof hubLife>>
  let third: Awaited<ReturnType<typeof hubLife>>

  beforeAll(async () => {
    const stateDir = freshStateDir()
    const m1 = stampedAt(FIRST_START, 'ordinary')
    const m2 = stampedAt(RESTART - 1, 'just-before-restart')
    const m3 = stampedAt(RESTART + 1000, 'after-restart')
    const first = await hubLife(FIRST_START, [m1, m2, m3], stateDir, workers)
    expect(first.suffixes).toEqual(['ordinary', 'just-before-restart', 'after-restart'])
    const lagging = stampedAt(RESTART - 1000, 'lagging-clock')
    second = await hubLife(
      RESTART,
      [m1, m2, m3, lagging, stampedAt(RESTART, 'fresh')],
      stateDir,
      workers,
    )
    third = await hubLife(RESTART + 2000, [m1, m2, m3, lagging], stateDir, workers)
  })

  it('the exact frames of every message hub #1 accepted → replay in hub #2, whatever their stamps', () => {
    expect(second.suffixes).not.toContain('ordinary')
    expect(second.suffixes).not.toContain('just-before-restart')
    expect(second.stats.rejected.replay).toBe(3)
  })

  it('bug: a message stamped after the restart that hub #1 accepted ahead of its clock was accepted again → replay', () => {
    expect(second.suffixes).not.toContain('after-restart')
  })

  it('a new message from a publisher whose clock runs 1 s behind is accepted right after the start', () => {
    expect(second.suffixes).toEqual(['lagging-clock', 'fresh'])
  })

  it('a third run refuses what both earlier runs accepted', () => {
    expect(third.suffixes).toEqual([])
    expect(third.stats.rejected.replay).toBe(4)
  })
})

describe('B3: a missing or corrupt journal fails closed for one clock skew', () => {
  it('no journal (empty state dir): stamped start + skew → replay; stamped after that, later → accepted', async () => {
    const stateDir = mkdtempSync(join(bus.dir, 'empty-'))
    const start = Date.now()
    const atEdge = stampedAt(start + SKEW_MS, 'at-the-edge')
    const first = await hubLife(start, [atEdge, stampedAt(start, 'on-time')], stateDir, 0)
    expect(first.suffixes).toEqual([])
    expect(first.stats.rejected.replay).toBe(2)
    // The floor is journaled: a restart 1 s later keeps it, and takes what is stamped past it.
    const later = [stampedAt(start + SKEW_MS, 'edge-again'), stampedAt(start + SKEW_MS + 1, 'past')]
    const second = await hubLife(start + SKEW_MS, later, stateDir, 0)
    expect(second.suffixes).toEqual(['past'])
  })

  it('a corrupt line: the same floor; the file is set aside as *.corrupt and its entries are carried over', async () => {
    const stateDir = freshStateDir()
    const start = Date.now()
    const accepted = stampedAt(start, 'accepted')
    expect((await hubLife(start, [accepted], stateDir, 0)).suffixes).toEqual(['accepted'])
    // A file of a hub that is gone (no such pid), with one entry and then garbage: a message stamped past
    // the floor the corrupt file brings, which that hub accepted.
    const restart = start + 1000
    const seenElsewhere = stampedAt(restart + SKEW_MS + 1, 'seen-elsewhere')
    const { msg_id } = JSON.parse(seenElsewhere.frame.toString()) as { msg_id: string }
    const journal = join(stateDir, 'hub')
    const corrupt = join(journal, 'replay-99999999-00ff-0.jrnl')
    const entry = JSON.stringify(['A', restart + 600_000, restart + SKEW_MS + 1, msg_id])
    writeFileSync(corrupt, `{"fedmsg":"replay-journal","version":1}\n${entry}\nxx\n`)
    const edge = stampedAt(restart + SKEW_MS, 'edge')
    const second = await hubLife(restart, [accepted, edge], stateDir, 2)
    expect(second.suffixes).toEqual([])
    expect(second.stats.rejected.replay).toBe(2)
    expect(readdirSync(journal)).toContain('replay-99999999-00ff-0.jrnl.corrupt')
    const third = await hubLife(restart + 2000, [seenElsewhere, edge], stateDir, 0)
    expect(third.suffixes).toEqual([])
    expect(third.stats.rejected.replay).toBe(2)
  })
})
