/**
 * Issue 18 item 4, issue 13 item 1: a verifying relay verifies through the hub's MessageVerifier, here its
 * worker-thread pool (verifyWorkers: 2; the pool runs dist/verification/pool/verifier-worker.js).
 *
 *   DEALER --[id, topic, envelope]--> relay ROUTER --submit--> VerifierPool (2 threads, replay on the main thread)
 *          <--[id, ok | rejected:<reason>]--  verdicts in submission order --> relay PUB --> SUB (byte for byte)
 */
import { Dealer, Subscriber } from 'zeromq'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { createRelay, type Relay } from '../../src/relay/relay.js'
import { resolveRelayOptions } from '../../src/relay/relay-options.js'
import { defaultVerifyWorkers } from '../../src/verification/pool/verifier-pool-options.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { watchWorkers } from '../crypto/pool-fixture.js'
import { makeBus, topicOf, type Bus } from './bus-fixture.js'

let bus: Bus
let bodhi: EnvelopeSigner
const open: { close(): unknown }[] = []

beforeAll(async () => {
  bus = await makeBus()
  bodhi = bus.signerFor(bus.pki.leaf)
})
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close()
})
afterAll(() => bus.cleanup())

const TOPIC = topicOf('bodhi', 'update.request')

/** A fresh message from bodhi, as its two frames. */
function signed(i: number, topic = TOPIC): [Buffer, Buffer] {
  const { frame } = bodhi.sign({ topic, msg: { n: i }, i, timestamp: Date.now() })
  return [Buffer.from(topic), Buffer.from(frame)]
}

interface Harness {
  readonly relay: Relay
  /** Sends `frames` under request id `id` and resolves with the relay's status for it. */
  send(id: string, frames: readonly Buffer[]): Promise<string>
  /** Every message but the probes that reached the relay's outbound, in arrival order. */
  readonly forwarded: Buffer[][]
  /** Resolves once `n` messages reached the outbound (rejects after 20 s). */
  forwardedCount(n: number): Promise<void>
}

/** A relay verifying on two threads, a DEALER into it and a SUB on its outbound, subscribed. */
async function startRelay(): Promise<Harness> {
  const watch = watchWorkers()
  const relay = await createRelay({
    inbound: await uniqueAddress('ipc', bus.dir),
    outbound: await uniqueAddress('ipc', bus.dir),
    config: bus.config(),
    verifyWorkers: 2,
  })
  open.push(relay)
  watch.stop()
  expect(watch.started).toHaveLength(2)
  const dealer = new Dealer({ linger: 0 })
  open.push(dealer)
  dealer.connect(relay.endpoints.inbound)
  const sub = new Subscriber({ linger: 0 })
  open.push(sub)
  sub.connect(relay.endpoints.outbound)
  sub.subscribe()
  const statuses = new Map<string, (status: string) => void>()
  void (async () => {
    for await (const [id, status] of dealer) statuses.get(id!.toString())?.(status!.toString())
  })().catch(() => undefined)
  const forwarded: Buffer[][] = []
  const probes = new Set<string>()
  let probed = false
  let arrived: () => void = () => undefined
  void (async () => {
    for await (const frames of sub) {
      if (probes.has(frames[1]!.toString())) probed = true
      else forwarded.push(frames)
      arrived()
    }
  })().catch(() => undefined)
  const harness: Harness = {
    relay,
    forwarded,
    send(id, frames) {
      const status = new Promise<string>((resolve) => statuses.set(id, resolve))
      return dealer.send([id, ...frames]).then(() => status)
    },
    async forwardedCount(n) {
      const deadline = Date.now() + 20_000
      while (forwarded.length < n) {
        if (Date.now() > deadline) throw new Error(`${forwarded.length} of ${n} forwarded`)
        await new Promise<void>((resolve) => {
          arrived = resolve
          setTimeout(resolve, 100)
        })
      }
    },
  }
  // A PUB sends only once the SUB's subscription reached it: probe until a message comes through.
  for (let probe = 1; !probed; probe += 1) {
    const frames = signed(probe)
    probes.add(frames[1].toString())
    expect(await harness.send(`probe-${probe}`, frames)).toBe('ok')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return harness
}

describe('a relay verifying on worker threads', () => {
  it('forwards valid frames byte for byte in the order sent, each acknowledged ok; refuses forgeries by reason', async () => {
    const harness = await startRelay()
    const valid = Array.from({ length: 200 }, (_, n) => signed(n + 1))
    const [, goodFrame] = signed(1000)
    const tampered = Buffer.from(goodFrame.toString('utf8').replace('"n":1000', '"n":1001'))
    const forgeries: [string, Buffer[], string][] = [
      ['tampered', [Buffer.from(TOPIC), tampered], 'rejected:bad_signature'],
      ['rerouted', [Buffer.from(topicOf('bodhi', 'other')), goodFrame], 'rejected:topic_mismatch'],
      ['garbage', [Buffer.from(TOPIC), Buffer.from('not json')], 'rejected:malformed'],
      ['three frames', [Buffer.from(TOPIC), goodFrame, goodFrame], 'rejected:malformed'],
    ]
    const before = harness.relay.stats()
    expect(before.rejected).toMatchObject({ bad_signature: 0, topic_mismatch: 0, malformed: 0 })
    // All in flight at once, forgeries among the valid ones, so that batches mix verdicts.
    const statuses = await Promise.all([
      ...valid.slice(0, 100).map((frames, n) => harness.send(`v${n}`, frames)),
      ...forgeries.map(([name, frames]) => harness.send(name, frames)),
      ...valid.slice(100).map((frames, n) => harness.send(`v${n + 100}`, frames)),
    ])
    expect(statuses).toEqual([
      ...valid.slice(0, 100).map(() => 'ok'),
      ...forgeries.map(([, , status]) => status),
      ...valid.slice(100).map(() => 'ok'),
    ])
    await harness.forwardedCount(valid.length)
    expect(harness.forwarded).toHaveLength(valid.length)
    harness.forwarded.forEach((frames, index) => {
      expect(frames).toHaveLength(2)
      expect(frames[0]!.equals(valid[index]![0])).toBe(true)
      expect(frames[1]!.equals(valid[index]![1])).toBe(true)
    })
    const after = harness.relay.stats()
    expect(after.received - before.received).toBe(valid.length + forgeries.length)
    expect(after.forwarded - before.forwarded).toBe(valid.length)
    expect(after.rejected).toMatchObject({ bad_signature: 1, topic_mismatch: 1, malformed: 2 })
    expect(after.verifyErrors).toBe(0)
  })

  it('a replay is refused by the replay admission step, counted and acknowledged rejected:replay', async () => {
    const harness = await startRelay()
    const frames = signed(1)
    expect(await harness.send('first', frames)).toBe('ok')
    expect(await harness.send('again', frames)).toBe('rejected:replay')
    // A copy right behind the original (both likely in one batch, on either thread): still one admission.
    const twin = signed(2)
    const both = await Promise.all([harness.send('twin-1', twin), harness.send('twin-2', twin)])
    expect(both).toEqual(['ok', 'rejected:replay'])
    expect(harness.relay.stats().rejected.replay).toBe(2)
    await harness.forwardedCount(2)
    expect(harness.forwarded.map(([, envelope]) => envelope!.equals(frames[1]))).toEqual([
      true,
      false,
    ])
  })
})

describe('verifyWorkers', () => {
  const addresses = { inbound: 'tcp://127.0.0.1:1', outbound: 'tcp://127.0.0.1:2' }
  const workersOf = (verifyWorkers?: number | 'auto') =>
    resolveRelayOptions({ ...addresses, config: bus.config(), verifyWorkers }).ownVerifier?.workers

  it('defaults to 0 (the relay thread); "auto" is what verify_workers "auto" means; a number as is', () => {
    expect(workersOf()).toBe(0)
    expect(workersOf('auto')).toBe(defaultVerifyWorkers())
    expect(workersOf(3)).toBe(3)
  })

  it.each([-1, 1.5])('%s is refused with a TypeError naming the option', (value) => {
    expect(() => workersOf(value)).toThrow(
      new TypeError(`verifyWorkers must be an integer >= 0 or "auto", got ${value}`),
    )
  })
})
