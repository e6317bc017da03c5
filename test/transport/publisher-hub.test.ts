/**
 * publisher bodhi PUB (endpoints.bodhi) -> hub SUB -> verify -> schema -> consumer
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHub, type Hub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { PROTOCOLS, uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, rawPublisher, recorder, topicOf, type Bus } from './bus-fixture.js'

let bus: Bus
let schemaFile: string
const open: { close(): Promise<void> }[] = []
const track = <T extends { close(): Promise<void> }>(thing: T): T => (open.push(thing), thing)

beforeAll(async () => {
  bus = await makeBus()
  schemaFile = join(bus.dir, 'update.schema.json')
  writeFileSync(
    schemaFile,
    JSON.stringify({
      type: 'object',
      required: ['update'],
      properties: { update: { type: 'string' } },
    }),
  )
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()))
})
afterAll(() => bus.cleanup())

/** Resolves once the hub has verified a heartbeat of the publisher: the subscription is in place. */
const connected = (hub: Hub) => waitUntil(() => hub.stats().heartbeats > 0, 'a first heartbeat')

describe.each(PROTOCOLS)('publisher -> hub over %s', (protocol) => {
  it('dispatches a verified message with its signer identity', async () => {
    const config = bus.config({
      endpoints: { bodhi: [await uniqueAddress(protocol, bus.dir)] },
      heartbeat_interval_ms: 50,
    })
    const seen = recorder('org.fedoraproject.*.bodhi.>')
    const hub = track(await createHub({ config, consumers: [seen] }))
    const publisher = track(await createPublisher({ name: 'bodhi', config }))
    await connected(hub)

    const sending = publisher.publish('update.request', { update: 'FEDORA-2024-1', by: 'alice' })
    // Signed synchronously by the call: later heartbeats (every 50 ms) take the next i's.
    const i = publisher.lastI
    await sending

    const [message] = await seen.received(1)
    expect(message).toMatchObject({
      topic: topicOf('bodhi', 'update.request'),
      body: { update: 'FEDORA-2024-1', by: 'alice' },
      signer: {
        name: 'bodhi',
        serial: bus.pki.leaf.certificate.serialNumber.replace(/^0+/, '').toLowerCase(),
      },
      headers: { session: publisher.session, session_start: String(publisher.sessionStart) },
      i,
      alg: 'ES256',
    })
    expect(hub.stats()).toMatchObject({ dispatched: 1, sequence: { gaps: 0 } })
  })

  it('a body that breaks the topic schema is rejected as schema_invalid by the hub', async () => {
    const address = await uniqueAddress(protocol, bus.dir)
    const schemas = { 'org.fedoraproject.*.bodhi.update.>': schemaFile }
    const hubConfig = bus.config({
      endpoints: { bodhi: [address] },
      heartbeat_interval_ms: 50,
      schemas,
    })
    // The publisher does not know the schema, so it sends what the hub must refuse.
    const publisherConfig = bus.config({
      endpoints: { bodhi: [address] },
      heartbeat_interval_ms: 50,
    })
    const seen = recorder('org.fedoraproject.*.bodhi.>')
    const hub = track(await createHub({ config: hubConfig, consumers: [seen] }))
    const publisher = track(await createPublisher({ name: 'bodhi', config: publisherConfig }))
    await connected(hub)

    await publisher.publish('update.request', { update: 42 })
    await publisher.publish('update.request', { update: 'FEDORA-2024-2' })

    const [message] = await seen.received(1)
    expect(message!.body).toEqual({ update: 'FEDORA-2024-2' })
    expect(hub.stats().rejected.schema_invalid).toBe(1)
  })
})

describe('publisher rules', () => {
  it('a body that breaks the topic schema is refused before signing (SchemaInvalid)', async () => {
    const config = bus.config({
      endpoints: { bodhi: [await uniqueAddress('tcp', bus.dir)] },
      schemas: { 'org.fedoraproject.*.bodhi.update.>': schemaFile },
    })
    const publisher = track(await createPublisher({ name: 'bodhi', config }))
    await expect(publisher.publish('update.request', { update: 42 })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_SCHEMA_INVALID',
      topic: topicOf('bodhi', 'update.request'),
    })
    expect(publisher.lastI).toBe(0)
  })

  it.each([
    ['an empty token', 'update..request'],
    ['a space', 'update request'],
    ['the reserved heartbeat topic', 'heartbeat'],
  ])('a topic with %s is refused (InvalidTopic)', async (_name, suffix) => {
    const config = bus.config({ endpoints: { bodhi: [await uniqueAddress('tcp', bus.dir)] } })
    const publisher = track(await createPublisher({ name: 'bodhi', config }))
    await expect(publisher.publish(suffix, {})).rejects.toMatchObject({
      code: 'ERR_FEDMSG_INVALID_TOPIC',
    })
  })

  it('a topic that already starts with the prefix is used as is', async () => {
    const config = bus.config({
      endpoints: { bodhi: [await uniqueAddress('tcp', bus.dir)] },
      heartbeat_interval_ms: 50,
    })
    const seen = recorder('org.fedoraproject.stg.bodhi.>')
    const hub = track(await createHub({ config, consumers: [seen] }))
    const publisher = track(await createPublisher({ name: 'bodhi', config }))
    await connected(hub)
    await publisher.publish('org.fedoraproject.stg.bodhi.update', { update: 'x' })
    const [message] = await seen.received(1)
    expect(message!.topic).toBe('org.fedoraproject.stg.bodhi.update')
  })

  it('publish after close() is refused (Closed); closed() resolves', async () => {
    const config = bus.config({ endpoints: { bodhi: [await uniqueAddress('tcp', bus.dir)] } })
    const publisher = await createPublisher({ name: 'bodhi', config })
    await publisher.close()
    await expect(publisher.closed()).resolves.toBeUndefined()
    await expect(publisher.publish('update', {})).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CLOSED',
    })
  })

  it.each(PROTOCOLS)('binding a taken %s address throws AddressInUse', async (protocol) => {
    const address = await uniqueAddress(protocol, bus.dir)
    const config = bus.config({ endpoints: { bodhi: [address] } })
    track(await createPublisher({ name: 'bodhi', config }))
    await expect(createPublisher({ name: 'bodhi', config })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_ADDRESS_IN_USE',
      address,
    })
  })

  it('a service without a certificate cannot publish (ConfigInvalid)', async () => {
    const config = bus.config({ endpoints: { wiki: [await uniqueAddress('tcp', bus.dir)] } })
    await expect(createPublisher({ name: 'wiki', config })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      key: 'certs.wiki',
    })
  })
})

describe('hub rules', () => {
  it('an endpoint a hub cannot connect to (tcp://*:port) is a ConfigInvalid', async () => {
    const config = bus.config({ endpoints: { bodhi: ['tcp://*:3001'] } })
    await expect(createHub({ config })).rejects.toMatchObject({ code: 'ERR_FEDMSG_CONFIG_INVALID' })
  })

  it('a hub without trust anchors is a ConfigInvalid naming "trust"', async () => {
    await expect(createHub({ config: bus.config({ trust: [] }) })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      key: 'trust',
    })
  })

  it('close() resolves closed() and is idempotent', async () => {
    const hub = await createHub({ config: bus.config() })
    await Promise.all([hub.close(), hub.close()])
    await expect(hub.closed()).resolves.toBeUndefined()
  })

  it.each([0, 2])(
    'close() with a backlog on the socket resolves (verify_workers %i)',
    async (workers) => {
      const address = await uniqueAddress('tcp', bus.dir)
      const flooder = await rawPublisher(address)
      const hub = await createHub({
        config: bus.config({ endpoints: { flooder: [address] }, verify_workers: workers }),
      })
      try {
        await flooder.subscribed()
        const { topic, frame } = bus.signerFor(bus.pki.leaf).sign({
          topic: topicOf('bodhi', 'flood'),
          msg: {},
          i: 1,
        })
        for (let n = 0; n < 5000; n++) await flooder.send([topic, frame])
        await waitUntil(() => hub.stats().received > 0, 'the flood to arrive')
        await expect(hub.close()).resolves.toBeUndefined()
      } finally {
        flooder.socket.close()
      }
    },
  )
})
