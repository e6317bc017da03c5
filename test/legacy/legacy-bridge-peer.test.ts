/**
 * Python fedmsg 1.1.7 PUB (real process) -> LegacyBridge (verify, re-sign as bodhi) -> fedmsg/1 hub -> consumer
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { LegacyBridge } from '../../src/legacy/legacy-bridge.js'
import { LegacyVerifier } from '../../src/legacy/legacy-verifier.js'
import { freePort, uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, recorder, type Bus } from '../transport/bus-fixture.js'
import { assertBuilt, startCli } from '../cli/cli-process.js'
import { assertPeerInstalled, peerFile, PEER_PKI, PEER_PY, PEER_WORK } from './python-peer.js'

let bus: Bus
const peers: ChildProcess[] = []

/** Starts the real Python fedmsg publisher on a fresh port; resolves with its address once it is bound. */
async function startPeer(): Promise<string> {
  const address = `tcp://127.0.0.1:${await freePort()}`
  const peer = spawn(
    PEER_PY,
    [join(import.meta.dirname, 'peer', 'publish.py'), PEER_PKI, address],
    {
      env: { ...process.env, PYTHONPATH: join(PEER_WORK, 'src') },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  peers.push(peer)
  await once(peer.stdout!, 'data')
  return address
}

beforeAll(async () => {
  assertPeerInstalled()
  bus = await makeBus()
})
afterEach(async () => {
  for (const peer of peers.splice(0)) {
    if (peer.exitCode !== null) continue
    peer.stdin?.end()
    await once(peer, 'exit')
  }
})
afterAll(() => bus.cleanup())

const legacyVerifier = () =>
  new LegacyVerifier({
    acceptSha1: true,
    caCerts: [peerFile('ca.crt')],
    crls: [peerFile('crl.pem')],
  })

describe('legacy bridge with the real Python fedmsg publishing', () => {
  it('republishes the valid message signed by the bridge, the legacy signer provable; refuses the others', async () => {
    const legacyAddress = await startPeer()

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

  it('runs as `fedmsg bridge legacy`: a hub gets the bridged message; SIGTERM stops it with its counts', async () => {
    assertBuilt('bridge')
    const legacyAddress = await startPeer()
    const config = bus.config({ endpoints: { bodhi: [await uniqueAddress('tcp', bus.dir)] } })
    const configFile = join(bus.dir, 'bridge.json')
    writeFileSync(configFile, JSON.stringify(config))
    const policyFile = join(bus.dir, 'legacy-policy.json')
    writeFileSync(
      policyFile,
      JSON.stringify({ 'org.fedoraproject.dev.peer.alpha': ['svc-a.peer.test'] }),
    )
    const seen = recorder('org.fedoraproject.dev.peer.>')
    const hub = await createHub({ config, consumers: [seen] })
    const cli = startCli(
      [
        'bridge',
        'legacy',
        '--connect',
        legacyAddress,
        '--ca',
        join(PEER_PKI, 'ca.crt'),
        '--crl',
        join(PEER_PKI, 'crl.pem'),
        '--legacy-routing-policy',
        policyFile,
        '--nitpicky',
        '--name',
        'bodhi',
        '--config',
        configFile,
      ],
      { cwd: bus.dir },
    )
    try {
      await cli.line('stderr', (line) => line.includes('"bridge started"'), 20_000)
      const [message] = await seen.received(1, 20_000)
      expect(message!.headers['legacy_signer']).toBe('svc-a.peer.test')
      await cli.line('stderr', (line) => line.includes('"reason":"revoked"'), 20_000)
      cli.child.kill('SIGTERM')
      expect(await cli.exited).toBe(0)
      const stopped = JSON.parse(
        await cli.line('stderr', (line) => line.includes('"bridge stopped"')),
      ) as { bridged: number; rejected: Record<string, number> }
      expect(stopped.bridged).toBeGreaterThan(0)
      expect(stopped.rejected['bad_signature']).toBeGreaterThan(0)
      expect(stopped.rejected['revoked']).toBeGreaterThan(0)
    } finally {
      await cli.kill()
      await hub.close()
    }
  })
  it('`fedmsg bridge legacy` reloads a replaced legacy CRL: a legacy service revoked mid-run is refused', async () => {
    assertBuilt('bridge')
    const legacyAddress = await startPeer()
    // A copy of the peer's CA (its openssl `ca` database), so revoking svc-a here leaves the shared PKI as it is.
    const caDir = join(bus.dir, 'legacy-ca')
    cpSync(join(PEER_PKI, 'ca'), caDir, { recursive: true })
    const cnf = join(caDir, 'openssl.cnf')
    writeFileSync(cnf, readFileSync(cnf, 'utf8').replace(/^dir\s*=.*$/m, `dir = ${caDir}`))
    const crlFile = join(bus.dir, 'legacy-crl.pem')
    copyFileSync(join(PEER_PKI, 'crl.pem'), crlFile)

    const config = bus.config({ endpoints: { bodhi: [await uniqueAddress('tcp', bus.dir)] } })
    const configFile = join(bus.dir, 'bridge-crl.json')
    writeFileSync(configFile, JSON.stringify(config))
    const seen = recorder('org.fedoraproject.dev.peer.>')
    const hub = await createHub({ config, consumers: [seen] })
    const cli = startCli(
      [
        'bridge',
        'legacy',
        '--connect',
        legacyAddress,
        '--ca',
        join(PEER_PKI, 'ca.crt'),
        '--crl',
        crlFile,
      ].concat(['--name', 'bodhi', '--config', configFile]),
      { cwd: bus.dir },
    )
    try {
      await cli.line('stderr', (line) => line.includes('"bridge started"'), 20_000)
      await seen.received(1, 20_000)

      const openssl = (args: readonly string[]) =>
        execFileSync('openssl', ['ca', '-batch', '-config', cnf, ...args], { stdio: 'pipe' })
      openssl(['-revoke', join(PEER_PKI, 'ssldir', 'svc-a.crt'), '-crl_reason', 'keyCompromise'])
      openssl(['-gencrl', '-crldays', '30', '-out', `${crlFile}.next`])
      renameSync(`${crlFile}.next`, crlFile)

      await cli.line('stderr', (line) => line.includes('"CRLs reloaded"'), 30_000)
      // The refusal names the CN the revoked certificate claims: a newly revoked service is a cause of its own,
      // logged at once, not folded into svc-revoked's (one line per cause each 10 s).
      const refused = await cli.line(
        'stderr',
        (line) =>
          line.includes('"reason":"revoked"') && line.includes('"signer":"svc-a.peer.test"'),
        20_000,
      )
      const refusedAt = Date.parse((JSON.parse(refused) as { time: string }).time)
      cli.child.kill('SIGTERM')
      expect(await cli.exited).toBe(0)
      const stopped = JSON.parse(
        await cli.line('stderr', (line) => line.includes('"bridge stopped"')),
      ) as { bridged: number }
      await waitUntil(
        () => seen.messages.length === stopped.bridged,
        'every bridged message at the hub',
        20_000,
      )
      // Nothing of svc-a was bridged once the new CRL refused it.
      expect(seen.messages.every((m) => m.timestamp <= refusedAt)).toBe(true)
    } finally {
      await cli.kill()
      await hub.close()
    }
  }, 120_000)
})
