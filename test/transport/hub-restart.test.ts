/**
 * Replay across a hub restart: the replay cache is in memory, so a new hub refuses every message stamped
 * before it started (no clock skew allowed).
 *   attacker XPUB --M--> hub #1 (accepts M) ; hub #1 stops ; hub #2 starts ; attacker --M again--X hub #2
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner, SignedEnvelope } from '../../src/crypto/envelope-signer.js'
import type { FedmsgConfig } from '../../src/config/config-types.js'
import { createHub } from '../../src/transport/hub.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, rawPublisher, recorder, topicOf, type Bus } from './bus-fixture.js'

let bus: Bus
let bodhi: EnvelopeSigner
let i = 0
beforeAll(async () => {
  bus = await makeBus()
  bodhi = bus.signerFor(bus.pki.leaf)
})
afterAll(() => bus.cleanup())

const sign = (suffix: string): SignedEnvelope =>
  bodhi.sign({ topic: topicOf('bodhi', suffix), msg: { suffix }, i: ++i })

const timestampOf = (signed: SignedEnvelope): number =>
  (JSON.parse(signed.frame.toString('utf8')) as { timestamp: number }).timestamp

/** One hub life: starts a hub, sends what `messages()` returns once it listens, stops it. */
async function hubLife(
  config: FedmsgConfig,
  attacker: Awaited<ReturnType<typeof rawPublisher>>,
  messages: () => SignedEnvelope[],
) {
  const seen = recorder('org.fedoraproject.>')
  const hub = await createHub({ config, consumers: [seen] })
  try {
    await attacker.subscribed()
    const sent = messages()
    for (const { topic, frame } of sent) await attacker.send([topic, frame])
    await waitUntil(() => hub.stats().received === sent.length, `${sent.length} messages`)
    await hub.drain()
    return {
      topics: seen.messages.map((m) => m.topic),
      stats: hub.stats(),
      startedAt: hub.startedAt,
    }
  } finally {
    await hub.close()
  }
}

describe('hub restart', () => {
  it('a new hub refuses a replay of a message stamped before it started', async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const attacker = await rawPublisher(address)
    // No skew tolerance, so "before the start" is exact on this one machine.
    const config = bus.config({ endpoints: { forger: [address] }, clock_skew_seconds: 0 })
    try {
      let recorded: SignedEnvelope | undefined
      const first = await hubLife(config, attacker, () => [(recorded = sign('update'))])
      expect(first.topics).toEqual([recorded!.topic])

      await waitUntil(
        () => Date.now() > timestampOf(recorded!),
        'the clock to pass the recorded stamp',
      )
      const second = await hubLife(config, attacker, () => [recorded!])
      expect(second.startedAt).toBeGreaterThan(timestampOf(recorded!))
      expect(second.topics).toEqual([])
      expect(second.stats.rejected.replay).toBe(1)

      const third = await hubLife(config, attacker, () => [sign('fresh')])
      expect(third.topics).toEqual([topicOf('bodhi', 'fresh')])
    } finally {
      attacker.socket.close()
    }
  })

  it('no skew on the restart floor: a replay stamped within clock_skew_seconds before the start → replay', async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const attacker = await rawPublisher(address)
    const config = bus.config({ endpoints: { forger: [address] }, clock_skew_seconds: 30 })
    try {
      let recorded: SignedEnvelope | undefined
      const first = await hubLife(config, attacker, () => [(recorded = sign('update'))])
      expect(first.topics).toEqual([recorded!.topic])
      await waitUntil(
        () => Date.now() > timestampOf(recorded!),
        'the clock to pass the recorded stamp',
      )
      const second = await hubLife(config, attacker, () => [recorded!])
      expect(second.startedAt).toBeGreaterThan(timestampOf(recorded!))
      expect(second.startedAt - timestampOf(recorded!)).toBeLessThan(30_000)
      expect(second.topics).toEqual([])
      expect(second.stats.rejected.replay).toBe(1)
    } finally {
      attacker.socket.close()
    }
  })
})
