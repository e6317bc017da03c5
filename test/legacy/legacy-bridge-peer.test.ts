/**
 * Python fedmsg 1.1.7 PUB (real process) -> LegacyBridge (verify, re-sign as bodhi) -> fedmsg/1 hub -> consumer
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { once } from 'node:events'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { LegacyBridge } from '../../src/legacy/legacy-bridge.js'
import { LegacyVerifier } from '../../src/legacy/legacy-verifier.js'
import { freePort, uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, recorder, type Bus } from '../transport/bus-fixture.js'
import { assertPeerInstalled, peerFile, PEER_PKI, PEER_PY, PEER_WORK } from './python-peer.js'

let bus: Bus
let peer: ChildProcess | undefined

beforeAll(async () => {
  assertPeerInstalled()
  bus = await makeBus()
})
afterAll(async () => {
  if (peer !== undefined && peer.exitCode === null) {
    peer.stdin?.end()
    await once(peer, 'exit')
  }
  bus.cleanup()
})

const legacyVerifier = () =>
  new LegacyVerifier({
    acceptSha1: true,
    caCerts: [peerFile('ca.crt')],
    crls: [peerFile('crl.pem')],
  })

describe('legacy bridge with the real Python fedmsg publishing', () => {
  it('republishes the valid message signed by the bridge, the legacy signer provable; refuses the others', async () => {
    const legacyAddress = `tcp://127.0.0.1:${await freePort()}`
    peer = spawn(
      PEER_PY,
      [join(import.meta.dirname, 'peer', 'publish.py'), PEER_PKI, legacyAddress],
      {
        env: { ...process.env, PYTHONPATH: join(PEER_WORK, 'src') },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    )
    await once(peer.stdout!, 'data')

    const config = bus.config({ endpoints: { bodhi: [await uniqueAddress('tcp', bus.dir)] } })
    const seen = recorder('org.fedoraproject.dev.peer.>')
    const hub = await createHub({ config, consumers: [seen] })
    const publisher = await createPublisher({ name: 'bodhi', config, awaitSubscribers: 1 })
    const bridge = LegacyBridge.start({
      endpoints: [legacyAddress],
      verifier: legacyVerifier(),
      publisher,
      logger: pino({ level: 'silent' }),
    })
    try {
      const [message] = await seen.received(1, 20_000)
      expect(message!.signer.name).toBe('bodhi')
      expect(message!.topic).toBe('org.fedoraproject.dev.peer.alpha')
      expect(message!.headers).toMatchObject({
        legacy_signer: 'svc-a.peer.test',
        legacy_msg_id: '2026-legacy-svc-a',
      })
      const body = message!.body as { msg: unknown; legacy_frame: string }
      expect(body.msg).toEqual({ hello: 'wörld', big: '18446744073709551616', f: 0.1 })
      expect(createHash('sha256').update(body.legacy_frame).digest('hex')).toBe(
        message!.headers['legacy_sha256'],
      )
      // The original signer stays provable: the carried frame verifies again under the legacy CA.
      const again = legacyVerifier().verify(message!.topic, body.legacy_frame)
      expect(again).toMatchObject({ ok: true, message: { signer: { name: 'svc-a.peer.test' } } })

      await waitUntil(
        () => bridge.stats().rejected.bad_signature > 0 && bridge.stats().rejected.revoked > 0,
        'the tampered and the revoked legacy messages refused',
        20_000,
      )
      expect(seen.messages.every((m) => m.headers['legacy_signer'] === 'svc-a.peer.test')).toBe(
        true,
      )
    } finally {
      await bridge.close()
      await publisher.close()
      await hub.close()
    }
  })
})
