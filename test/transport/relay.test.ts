/**
 * publisher DEALER -> relay ROUTER (inbound) --verify--> relay PUB (outbound) -> hub SUB -> consumer
 *                  <- ack ok | rejected:<reason>
 * chain: publisher -> relay A inbound, relay A outbound -> relay B upstream SUB, relay B outbound -> hub
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Dealer } from 'zeromq'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { FedmsgConfig } from '../../src/config/config-types.js'
import { RelayTimeout } from '../../src/errors.js'
import { createHub, type Hub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { createRelay } from '../../src/relay/relay.js'
import { PROTOCOLS, uniqueAddress, type Protocol } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, recorder, topicOf, type Bus } from './bus-fixture.js'

let bus: Bus
const open: { close(): Promise<void> }[] = []
const track = <T extends { close(): Promise<void> }>(thing: T): T => (open.push(thing), thing)

beforeAll(async () => {
  bus = await makeBus()
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()))
})
afterAll(() => bus.cleanup())

async function relayConfig(protocol: Protocol, overrides: Partial<FedmsgConfig> = {}) {
  return bus.config({
    relay_inbound: await uniqueAddress(protocol, bus.dir),
    relay_outbound: await uniqueAddress(protocol, bus.dir),
    active: true,
    heartbeat_interval_ms: 50,
    ...overrides,
  })
}

const connected = (hub: Hub) => waitUntil(() => hub.stats().heartbeats > 0, 'a first heartbeat')

describe.each(PROTOCOLS)('relay over %s', (protocol) => {
  it('publisher -> relay -> hub: publish() resolves on the ack, the hub verifies the message', async () => {
    const config = await relayConfig(protocol)
    const relay = track(
      await createRelay({
        inbound: config.relay_inbound!,
        outbound: config.relay_outbound!,
        config,
      }),
    )
    const seen = recorder('org.fedoraproject.*.bodhi.>')
    const hub = track(await createHub({ config, consumers: [seen] }))
    const publisher = track(await createPublisher({ name: 'bodhi', config }))
    await connected(hub)

    await publisher.publish('update.request', { update: 'FEDORA-2024-3' })

    const [message] = await seen.received(1)
    expect(message).toMatchObject({
      topic: topicOf('bodhi', 'update.request'),
      signer: { name: 'bodhi' },
    })
    expect(relay.stats().forwarded).toBe(relay.stats().received)
  })

  it('two relays in a chain forward the frames untouched: the hub still verifies them', async () => {
    const config = await relayConfig(protocol)
    const relayA = track(
      await createRelay({
        inbound: config.relay_inbound!,
        outbound: config.relay_outbound!,
        config,
      }),
    )
    const relayB = track(
      await createRelay({
        inbound: await uniqueAddress(protocol, bus.dir),
        outbound: await uniqueAddress(protocol, bus.dir),
        upstream: [relayA.endpoints.outbound],
        config,
      }),
    )
    const seen = recorder('org.fedoraproject.*.bodhi.>')
    const hub = track(
      await createHub({ config, consumers: [seen], connect: [relayB.endpoints.outbound] }),
    )
    const publisher = track(await createPublisher({ name: 'bodhi', config }))
    await connected(hub)

    await publisher.publish('update.request', { update: 'FEDORA-2024-4' })

    const [message] = await seen.received(1)
    expect(message!.body).toEqual({ update: 'FEDORA-2024-4' })
    expect(relayB.stats().forwarded).toBeGreaterThan(0)
    expect(hub.stats().verified).toBe(hub.stats().received)
  })
})

describe('relay inbound', () => {
  it('a message published before the relay runs is delivered once it starts (no slow-joiner loss)', async () => {
    const config = await relayConfig('tcp', { heartbeat_interval_ms: 60_000 })
    const publisher = track(await createPublisher({ name: 'bodhi', config }))
    const signedAt = Date.now()
    const published = publisher.publish('update.request', { update: 'early' })
    // The relay starts strictly after the message was stamped: it was queued in the publisher meanwhile,
    // and a relay's replay floor keeps the clock skew so that it is not refused as a replay.
    await waitUntil(() => Date.now() > signedAt + 5, 'the clock to pass the stamp')
    const relay = track(
      await createRelay({
        inbound: config.relay_inbound!,
        outbound: config.relay_outbound!,
        config,
      }),
    )
    await expect(published).resolves.toBeUndefined()
    expect(relay.stats()).toMatchObject({ received: 1, forwarded: 1 })
  })

  it('a message the relay refuses rejects publish() with RelayRejected and its reason', async () => {
    const policyFile = join(bus.dir, 'policy.json')
    writeFileSync(
      policyFile,
      JSON.stringify({ rules: [{ topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] }] }),
    )
    const config = await relayConfig('tcp', { routing_policy: policyFile })
    const relay = track(
      await createRelay({
        inbound: config.relay_inbound!,
        outbound: config.relay_outbound!,
        config,
      }),
    )
    const koji = track(await createPublisher({ name: 'koji', config }))
    await expect(
      koji.publish(topicOf('bodhi', 'update.request'), { update: 'forged' }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_RELAY_REJECTED', reason: 'policy_denied' })
    expect(relay.stats().rejected.policy_denied).toBe(1)
    expect(relay.stats().forwarded).toBe(0)
  })

  it('a relay built from its config reloads the CRL file: a leaf revoked after the start is refused (revoked)', async () => {
    const victim = await bus.newLeaf('bodhi')
    bus.writeService('victim', victim)
    // No heartbeats during the test: one after the reload would be revoked too, and counted.
    const config = await relayConfig('tcp', { heartbeat_interval_ms: 60_000 })
    try {
      const relay = track(
        await createRelay({
          inbound: config.relay_inbound!,
          outbound: config.relay_outbound!,
          config,
          crlPollIntervalMs: 20,
        }),
      )
      const publisher = track(await createPublisher({ name: 'victim', config }))
      const topic = topicOf('bodhi', 'update.request')
      await publisher.publish(topic, { before: true })
      await bus.replaceCrl([victim])
      // Paced by the relay's acks: each publish is judged with whatever CRLs the relay holds by then.
      const outcome = async () =>
        publisher.publish(topic, { after: true }).then(
          () => 'accepted',
          (error: { reason?: string }) => error.reason,
        )
      const deadline = Date.now() + 10_000
      let last = await outcome()
      while (last === 'accepted' && Date.now() < deadline) last = await outcome()
      expect(last).toBe('revoked')
      expect(relay.stats().rejected.revoked).toBe(1)
    } finally {
      await bus.replaceCrl([])
    }
  })

  it('a message of the wrong frame count is acknowledged as rejected:malformed', async () => {
    const config = await relayConfig('tcp')
    const relay = track(
      await createRelay({
        inbound: config.relay_inbound!,
        outbound: config.relay_outbound!,
        config,
      }),
    )
    const dealer = new Dealer({ linger: 0 })
    try {
      dealer.connect(relay.endpoints.inbound)
      await dealer.send(['id-1', 'only-a-topic'])
      const [id, status] = await dealer.receive()
      expect([id!.toString(), status!.toString()]).toEqual(['id-1', 'rejected:malformed'])
      expect(relay.stats().rejected.malformed).toBe(1)
    } finally {
      dealer.close()
    }
  })

  it('verifier: null forwards anything; the hub still verifies and rejects it', async () => {
    const config = await relayConfig('tcp')
    const relay = track(
      await createRelay({
        inbound: config.relay_inbound!,
        outbound: config.relay_outbound!,
        verifier: null,
      }),
    )
    const seen = recorder('org.fedoraproject.>')
    const hub = track(await createHub({ config, consumers: [seen] }))
    const publisher = track(await createPublisher({ name: 'bodhi', config }))
    await connected(hub)
    const dealer = new Dealer({ linger: 0 })
    try {
      dealer.connect(relay.endpoints.inbound)
      await dealer.send(['id-1', topicOf('bodhi', 'x'), '{"v":"fedmsg/1"}'])
      const [, status] = await dealer.receive()
      expect(status!.toString()).toBe('ok')
      await waitUntil(() => hub.stats().rejected.malformed === 1, 'the hub to reject the garbage')
      expect(seen.messages.filter((m) => m.topic === topicOf('bodhi', 'x'))).toEqual([])
      await publisher.close()
    } finally {
      dealer.close()
    }
  })

  it('an unanswered message rejects publish() with RelayTimeout', async () => {
    const config = await relayConfig('tcp', { heartbeat_interval_ms: 60_000 })
    const publisher = track(await createPublisher({ name: 'bodhi', config, ackTimeoutMs: 100 }))
    const failure = publisher.publish('update', {})
    await expect(failure).rejects.toBeInstanceOf(RelayTimeout)
    // Issue 11 item 9: the error names the relay address that did not answer.
    await expect(failure).rejects.toMatchObject({ address: config.relay_inbound })
    await expect(failure).rejects.toThrow(config.relay_inbound!)
  })

  it('issue 11 item 9: close() does not wait for a heartbeat the relay never acknowledged', async () => {
    // PUBLISHER DEALER -heartbeats-> (nobody at relay_inbound): each heartbeat waits 10 s for an ack.
    const config = await relayConfig('tcp', { heartbeat_interval_ms: 20 })
    const publisher = await createPublisher({ name: 'bodhi', config, ackTimeoutMs: 10_000 })
    await waitUntil(() => publisher.lastI >= 2, 'two heartbeats in flight')
    const closing = Date.now()
    await publisher.close()
    expect(Date.now() - closing).toBeLessThan(5000)
  })

  it('hwm_mode throw: a full DEALER queue throws HighWaterMark with the EAGAIN as cause', async () => {
    const config = await relayConfig('tcp', {
      heartbeat_interval_ms: 60_000,
      hwm_mode: 'throw',
      high_water_mark: 1,
    })
    const publisher = track(await createPublisher({ name: 'bodhi', config, ackTimeoutMs: 300 }))
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, n) => publisher.publish('update', { n })),
    )
    const errors = results.map((r) =>
      r.status === 'rejected' ? (r.reason as Error & { code?: string }) : undefined,
    )
    // The first message is in the socket (no relay answers); the next hits ZMQ_SNDHWM 1 with ZMQ_SNDTIMEO 0.
    expect(errors[0]).toBeInstanceOf(RelayTimeout)
    expect(errors[1]).toMatchObject({ code: 'ERR_FEDMSG_HWM', cause: { code: 'EAGAIN' } })
    // The rest never got past the local queue of high_water_mark messages.
    expect(errors.slice(2).every((e) => e?.code === 'ERR_FEDMSG_HWM')).toBe(true)
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
  })
})

describe('relay restart', () => {
  it('the publisher reconnects; what was lost shows up in the hub gap counter', async () => {
    const config = await relayConfig('tcp', { heartbeat_interval_ms: 60_000 })
    const inbound = config.relay_inbound!
    const outbound = config.relay_outbound!
    const relay = await createRelay({ inbound, outbound, config })
    const seen = recorder('org.fedoraproject.*.bodhi.>')
    // The hub reconnects (after 1-2 s: libzmq adds up to one interval of jitter) much later than the
    // publisher (20 ms), so the new relay surely forwards messages while no hub listens: a real loss.
    const hubConfig = { ...config, reconnect_ivl_ms: 1000 }
    const hub = track(await createHub({ config: hubConfig, consumers: [seen] }))
    const publisher = track(await createPublisher({ name: 'bodhi', config, ackTimeoutMs: 100 }))
    // Paced by the relay's acks, not by sleeping: publish until the hub has one.
    while (seen.messages.length === 0) await publisher.publish('build.tag', { phase: 'before' })

    let stop = false
    const timeouts: unknown[] = []
    const publishing = (async () => {
      while (!stop) {
        try {
          await publisher.publish('build.tag', { phase: 'during' })
        } catch (error) {
          if (!(error instanceof RelayTimeout)) throw error
          timeouts.push(error)
        }
      }
    })()
    await relay.close()
    // Messages the old relay forwarded may still be on their way through the hub (verified on worker
    // threads), so wait for three the publisher sent after the close.
    const lastBefore = publisher.lastI
    const restarted = track(await createRelay({ inbound, outbound, config }))
    await waitUntil(
      () => seen.messages.filter((m) => m.i > lastBefore).length >= 3,
      'three messages through the new relay',
    )
    stop = true
    await publishing

    const is = seen.messages.map((m) => m.i)
    expect(is).toEqual([...is].sort((a, b) => a - b))
    const span = is.at(-1)! - is[0]! + 1
    expect(hub.stats().sequence.gaps).toBeGreaterThan(0)
    expect(hub.stats().sequence.gaps).toBe(span - new Set(is).size)
    expect(restarted.stats().forwarded).toBeGreaterThan(0)
  })
})
