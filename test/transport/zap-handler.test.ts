/**
 * CURVE with a client allowlist:
 *   publisher PUB (curve server, ZAP domain fedmsg) <- hub SUB (allowed client key): messages flow
 *                                                  <-X raw SUB (other key): ZAP answers 400
 */
import { curveKeyPair, Subscriber } from 'zeromq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { decodeZ85 } from '../../src/transport/zap-handler.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, type Bus } from './bus-fixture.js'

describe('decodeZ85', () => {
  it('decodes the ZeroMQ RFC 32 test vector', () => {
    expect(decodeZ85('HelloWorld')).toEqual(
      Buffer.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]),
    )
  })

  it.each(['Hell', 'Hello Worl'])('refuses %j', (text) => {
    expect(() => decodeZ85(text)).toThrow(TypeError)
  })
})

describe('CURVE client allowlist', () => {
  let bus: Bus
  beforeAll(async () => {
    bus = await makeBus()
  })
  afterAll(() => bus.cleanup())

  it('an allowed hub receives, a client with another key is refused during the handshake', async () => {
    const server = curveKeyPair()
    const allowed = curveKeyPair()
    const stranger = curveKeyPair()
    const address = await uniqueAddress('tcp', bus.dir)
    const config = bus.config({
      endpoints: { bodhi: [address] },
      heartbeat_interval_ms: 30,
      curve: {
        server: {
          public_key: server.publicKey,
          secret_key: server.secretKey,
          allowed_clients: [allowed.publicKey],
        },
        client: {
          public_key: allowed.publicKey,
          secret_key: allowed.secretKey,
          server_key: server.publicKey,
        },
      },
    })
    const publisher = await createPublisher({ name: 'bodhi', config })
    const hub = await createHub({ config })
    const intruder = new Subscriber({
      linger: 0,
      curveServerKey: server.publicKey,
      curvePublicKey: stranger.publicKey,
      curveSecretKey: stranger.secretKey,
    })
    try {
      const refused = new Promise<number>((resolve) =>
        intruder.events.on('handshake:error:auth', (event) => resolve(event.error.status)),
      )
      intruder.subscribe()
      intruder.connect(address)
      expect(await refused).toBe(400)
      await waitUntil(() => hub.stats().heartbeats > 0, 'a heartbeat over CURVE')
    } finally {
      intruder.close()
      await hub.close()
      await publisher.close()
    }
  })
})
