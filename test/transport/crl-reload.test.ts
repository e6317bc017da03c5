/**
 * Trust changes without a hub restart.
 *   CRL file replaced by rename -> hub CrlWatcher (stat poll) -> verifier.setCrls -> revoked leaf rejected
 *   bodhi publisher restarted with a new certificate -> hub accepts it at once (same CA, same name)
 */
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHub, type Hub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import type { Issued } from '../fixtures/pki.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, rawPublisher, recorder, topicOf, type Bus, type Recorder } from './bus-fixture.js'

let bus: Bus
let i = 0
const open: { close(): Promise<void> }[] = []
beforeAll(async () => {
  bus = await makeBus()
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()))
})
afterAll(() => bus.cleanup())

describe('CRL reload', () => {
  let hub: Hub
  let seen: Recorder
  let send: (leaf: Issued, suffix: string) => Promise<void>

  beforeAll(async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const source = await rawPublisher(address)
    seen = recorder('org.fedoraproject.>')
    hub = await createHub({
      config: bus.config({ endpoints: { bodhi: [address] } }),
      consumers: [seen],
      crlPollIntervalMs: 20,
    })
    await source.subscribed()
    send = async (leaf, suffix) => {
      const { topic, frame } = bus
        .signerFor(leaf)
        .sign({ topic: topicOf('bodhi', suffix), msg: {}, i: ++i })
      await source.send([topic, frame])
    }
    open.push({ close: async () => (await hub.close(), source.socket.close()) })
  })
  // The test leaves a broken CRL file behind; later tests start from a good one.
  afterAll(() => bus.replaceCrl([]))

  it('a CRL replaced on disk takes effect without a restart; a broken one keeps the last good', async () => {
    const victim = await bus.newLeaf('bodhi')
    await send(victim, 'before')
    await seen.received(1)

    await bus.replaceCrl([victim])
    await waitUntil(() => hub.stats().crl.reloads === 1, 'the CRL reload')
    await send(victim, 'after')
    await send(bus.pki.leaf, 'unrevoked')
    await seen.received(2)
    expect(seen.messages.map((m) => m.topic)).toEqual([
      topicOf('bodhi', 'before'),
      topicOf('bodhi', 'unrevoked'),
    ])
    expect(hub.stats().rejected.revoked).toBe(1)

    const broken = join(bus.dir, 'broken.pem')
    writeFileSync(broken, '-----BEGIN X509 CRL-----\nnot a crl\n-----END X509 CRL-----\n')
    renameSync(broken, bus.crlFile)
    await waitUntil(() => hub.stats().crl.failures === 1, 'the failed reload')
    await send(victim, 'still-revoked')
    await send(bus.pki.leaf, 'still-fine')
    await seen.received(3)
    expect(seen.messages.at(-1)!.topic).toBe(topicOf('bodhi', 'still-fine'))
    expect(hub.stats().rejected.revoked).toBe(2)
  })
})

describe('certificate rotation', () => {
  it('a publisher restarted with a new certificate for the same service is accepted right away', async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const config = bus.config({ endpoints: { bodhi: [address] }, heartbeat_interval_ms: 30 })
    const updates = recorder('org.fedoraproject.*.bodhi.update', 'updates')
    const beats = recorder('org.fedoraproject.*.bodhi.heartbeat', 'beats')
    const hub = await createHub({ config, consumers: [updates, beats] })
    open.push(hub)
    const heardFrom = (session: string) =>
      waitUntil(() => beats.messages.some((m) => m.headers.session === session), 'a heartbeat')

    const before = await createPublisher({ name: 'bodhi', config })
    await heardFrom(before.session)
    await before.publish('update', { cert: 'old' })
    await updates.received(1)
    await before.close()

    const rotated = await bus.newLeaf('bodhi')
    bus.writeService('bodhi', rotated)
    const after = await createPublisher({ name: 'bodhi', config })
    open.push(after)
    await heardFrom(after.session)
    await after.publish('update', { cert: 'new' })

    const [old, renewed] = await updates.received(2)
    expect(old!.signer.serial).not.toBe(renewed!.signer.serial)
    expect(renewed).toMatchObject({ body: { cert: 'new' }, signer: { name: 'bodhi' } })
    expect(renewed!.signer.fingerprint).not.toBe(old!.signer.fingerprint)
  })
})
