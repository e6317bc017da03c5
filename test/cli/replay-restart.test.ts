/**
 * #12, item 1, over real processes: a hub never dispatches the same msg_id twice, across any number of
 * restarts by SIGKILL (no shutdown code runs), through the inline path (verify_workers 0) and the pool (2).
 *
 *   attacker XPUB --captured + every earlier burst + a new burst--> fedmsg hub #k --SIGKILL--> fedmsg hub #k+1
 *   count of "message verified" lines per msg_id over every hub's stderr: never above 1
 *
 * The captured messages include some stamped ahead of the hubs' clocks (a publisher clock running fast,
 * within the skew): before the replay journal, every restart accepted those once more.
 */
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeSigner, type SignedEnvelope } from '../../src/crypto/envelope/envelope-signer.js'
import { freePort } from '../fixtures/free-port.js'
import { rawPublisher } from '../transport/bus-fixture.js'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { assertBuilt, startCli, type CliProcess } from './cli-process.js'

const ROUNDS = 6
const BURST = 150

let bus: CliBus
const cleanups: (() => unknown)[] = []
beforeAll(() => {
  assertBuilt('hub')
  bus = makeCliBus(['bodhi'])
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})
afterAll(() => bus.cleanup())

/** msg_id of each "message verified" line of a hub's stderr (its log). */
const dispatchedIds = (hub: CliProcess): string[] =>
  hub.stderr.flatMap((line) => {
    if (!line.startsWith('{')) return []
    const entry = JSON.parse(line) as { msg?: string; msg_id?: string }
    return entry.msg === 'message verified' && entry.msg_id !== undefined ? [entry.msg_id] : []
  })

describe.each([0, 2])('SIGKILL loop, verify_workers %i', (workers) => {
  it(`${ROUNDS} hubs killed in turn, every message re-injected into each: 0 duplicates`, async () => {
    const address = `tcp://127.0.0.1:${await freePort()}`
    const config = bus.writeConfig(`replay-loop-${workers}`, {
      endpoints: { attacker: [address] },
      verify_workers: workers,
    })
    const attacker = await rawPublisher(address)
    cleanups.push(() => attacker.socket.close())
    const bodhi = EnvelopeSigner.fromFiles({
      certFile: join(bus.dir, 'pki/bodhi.crt'),
      keyFile: join(bus.dir, 'pki/bodhi.key'),
    })
    let i = 0
    const sign = (label: string, timestamp = Date.now()): SignedEnvelope =>
      bodhi.sign({ topic: `org.fedoraproject.dev.bodhi.${label}`, msg: {}, i: ++i, timestamp })
    // Captured before any hub ran: on time, and 25 s ahead (the default skew is 30 s).
    const sent: SignedEnvelope[] = [
      ...Array.from({ length: 20 }, () => sign('captured')),
      ...Array.from({ length: 20 }, () => sign('ahead', Date.now() + 25_000)),
    ]
    const hubs: CliProcess[] = []
    for (let round = 1; round <= ROUNDS; round += 1) {
      const hub = startCli(['hub', '--config', config], { cwd: bus.dir })
      cleanups.push(() => hub.kill())
      hubs.push(hub)
      await hub.line('stderr', (line) => line.includes('"hub started"'))
      await attacker.subscribed()
      sent.push(...Array.from({ length: BURST }, () => sign(`burst.r${round}`)))
      for (const { topic, frame } of sent) await attacker.send([topic, frame])
      // Even rounds die mid-stream; odd rounds once a marker sent last was dispatched.
      if (round % 2 === 1) {
        const marker = sign(`marker.r${round}`)
        await attacker.send([marker.topic, marker.frame])
        await hub.line('stderr', (line) => line.includes(`bodhi.marker.r${round}`), 20_000)
      }
      hub.child.kill('SIGKILL')
      expect(await hub.exited).toBe('SIGKILL')
    }
    const counts = new Map<string, number>()
    for (const id of hubs.flatMap(dispatchedIds)) counts.set(id, (counts.get(id) ?? 0) + 1)
    const duplicates = [...counts].filter(([, n]) => n > 1)
    expect(duplicates).toEqual([])
    // The captured messages went through once, in the first run (which ran until its marker); later runs
    // refused them.
    const ids = (envelopes: readonly SignedEnvelope[]) =>
      envelopes.map((e) => (JSON.parse(e.frame.toString()) as { msg_id: string }).msg_id)
    expect(dispatchedIds(hubs[0]!).slice(0, 40)).toEqual(ids(sent.slice(0, 40)))
    console.info(`verify_workers ${workers}: ${counts.size} msg_ids dispatched once, 0 twice`)
  }, 180_000)
})
