/**
 * fedmsg/1 publisher -> `fedmsg bridge to-legacy` (hub checks, legacy re-sign) -> Python fedmsg 1.1.7's own
 * consumer (tail_messages with validate_signatures): only valid messages cross, and Python validates them.
 * Both bridges at once: neither carries back what the other brought over.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as delay } from 'node:timers/promises'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { createHub } from '../../src/hub/hub.js'
import { LegacyBridge } from '../../src/legacy/legacy-bridge.js'
import { LegacySigner } from '../../src/legacy/legacy-signer.js'
import { LegacyVerifier } from '../../src/legacy/legacy-verifier.js'
import { ToLegacyBridge } from '../../src/legacy/to-legacy-bridge.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { tuningFromConfig } from '../../src/transport/socket-options.js'
import { makePki } from '../fixtures/pki.js'
import { freePort, uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { assertBuilt, startCli } from '../cli/cli-process.js'
import { makeBus, rawPublisher, recorder, topicOf, type Bus } from '../transport/bus-fixture.js'
import { assertPeerInstalled, peerFile, PEER_PKI, PEER_PY, PEER_WORK } from './python-peer.js'

interface PythonSaw {
  topic: string
  msg: Record<string, unknown>
  headers: Record<string, string> | null
  cn: string
}

let bus: Bus
const children: ChildProcess[] = []
const PING = topicOf('bodhi', 'ping')
const DONE = topicOf('bodhi', 'done')

/** Python fedmsg's own consumer connected to `address`; `seen` fills as it yields validated messages. */
async function startPythonConsumer(address: string, topics: readonly string[]) {
  const policy = Object.fromEntries(topics.map((topic) => [topic, ['svc-b.peer.test']]))
  const child = spawn(
    PEER_PY,
    [join(import.meta.dirname, 'peer', 'subscribe.py'), PEER_PKI, address, JSON.stringify(policy)],
    {
      env: { ...process.env, PYTHONPATH: join(PEER_WORK, 'src') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  children.push(child)
  const seen: PythonSaw[] = []
  const lines = createInterface({ input: child.stdout! })
  let ready: () => void = () => undefined
  const started = new Promise<void>((resolve) => (ready = resolve))
  lines.on('line', (line) => {
    const parsed = JSON.parse(line) as PythonSaw | { ready: true }
    if ('ready' in parsed) ready()
    else seen.push(parsed)
  })
  await started
  return seen
}

/** Repeats `action` every 200 ms until `done()`: a SUB socket that joins late misses the first sends. */
async function repeatUntil(
  action: () => unknown,
  done: () => boolean,
  what: string,
): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await action()
    await delay(200)
  }
}

beforeAll(async () => {
  assertPeerInstalled()
  bus = await makeBus()
  // Python fedmsg's ssldir keys are 0600 already; the bridge refuses a key others can read.
})
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue
    child.kill('SIGTERM')
    await once(child, 'exit')
  }
})
afterAll(() => bus.cleanup())

describe('fedmsg bridge to-legacy, validated by Python fedmsg 1.1.7 itself', () => {
  it('carries valid fedmsg/1 messages to Python consumers; tampered, unauthorized, untrusted and looped ones never cross', async () => {
    assertBuilt('bridge')
    const fedmsg1 = await uniqueAddress('tcp', bus.dir)
    const policyFile = join(bus.dir, 'policy.json')
    writeFileSync(
      policyFile,
      JSON.stringify({
        default: 'allow',
        rules: [{ topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] }],
      }),
    )
    const configFile = join(bus.dir, 'to-legacy.json')
    writeFileSync(
      configFile,
      JSON.stringify(
        // A hub without a replay journal refuses what is stamped up to one clock skew after its start.
        bus.config({ routing_policy: policyFile, clock_skew_seconds: 1 }),
      ),
    )
    const legacyAddress = `tcp://127.0.0.1:${await freePort()}`
    const attacker = await rawPublisher(fedmsg1)
    const cli = startCli(
      [
        'bridge',
        'to-legacy',
        '--connect',
        fedmsg1,
        '--bind',
        legacyAddress,
        '--legacy-cert',
        join(PEER_PKI, 'ssldir', 'svc-b.crt'),
        '--legacy-key',
        join(PEER_PKI, 'ssldir', 'svc-b.key'),
        '--topic',
        'org.fedoraproject.*.bodhi.>',
        '--config',
        configFile,
      ],
      { cwd: bus.dir },
    )
    try {
      await cli.line('stderr', (line) => line.includes('"bridge started"'), 20_000)
      await attacker.subscribed()
      const seen = await startPythonConsumer(legacyAddress, [PING, DONE])
      const bodhi = bus.signerFor(bus.pki.leaf)
      const koji = bus.signerFor(bus.pki.otherLeaf)
      const otherPki = await makePki('ed25519')
      const stranger = new EnvelopeSigner({
        certificates: [otherPki.leaf.der, otherPki.intermediate.der],
        privateKey: otherPki.leaf.privateKey,
      })
      let i = 0
      const send = (
        signer: EnvelopeSigner,
        topic: string,
        msg: Record<string, unknown>,
        headers?: Record<string, string>,
      ) => {
        const { frame } = signer.sign({
          topic,
          msg,
          i: ++i,
          ...(headers === undefined ? {} : { headers }),
        })
        return frame.toString('utf8')
      }
      // A SUB socket joins late: ping until Python fedmsg has one, then send the cases on a live connection.
      await repeatUntil(
        () => attacker.send([PING, send(bodhi, PING, { ping: i })]),
        () => seen.length > 0,
        'Python fedmsg receiving a ping',
      )

      const tampered = send(bodhi, PING, { update: 'FEDORA-2024-1' }).replace(
        'FEDORA-2024-1',
        'FEDORA-2024-2',
      )
      await attacker.send([PING, tampered])
      await attacker.send([PING, send(koji, PING, { who: 'koji' })])
      await attacker.send([PING, send(stranger, PING, { who: 'stranger' })])
      await attacker.send([
        PING,
        send(
          bodhi,
          PING,
          { looped: true },
          { legacy_sha256: 'ab'.repeat(32), legacy_signer: 'svc-a.peer.test' },
        ),
      ])
      const body = { text: 'wörld 日本 😀', n: 2 ** 53 - 1, f: 0.1, list: [1.5, null, true] }
      await attacker.send([DONE, send(bodhi, DONE, body)])

      await waitUntil(
        () => seen.some((m) => m.topic === DONE),
        'Python fedmsg validating the last message',
        30_000,
      )
      const done = seen.find((m) => m.topic === DONE)!
      expect(done.msg).toEqual(body)
      expect(done.cn).toBe('svc-b.peer.test')
      expect(done.headers).toMatchObject({ fedmsg1_signer: 'bodhi' })
      expect(done.headers!['fedmsg1_sha256']).toMatch(/^[0-9a-f]{64}$/)

      cli.child.kill('SIGTERM')
      expect(await cli.exited).toBe(0)
      const stopped = JSON.parse(
        await cli.line('stderr', (line) => line.includes('"bridge stopped"')),
      ) as {
        republished: number
        fromLegacy: number
        failed: number
        rejected: Record<string, number>
      }
      expect(stopped).toMatchObject({ fromLegacy: 1, failed: 0 })
      expect(stopped.rejected).toMatchObject({
        bad_signature: 1,
        policy_denied: 1,
        untrusted_chain: 1,
      })
      // Everything the bridge sent, Python fedmsg validated: the pings and the last message, nothing else.
      await waitUntil(
        () => seen.length === stopped.republished,
        'every republished message at Python fedmsg',
        20_000,
      )
      expect(seen.every((m) => (m.topic === PING && 'ping' in m.msg) || m.topic === DONE)).toBe(
        true,
      )
    } finally {
      await cli.kill()
      attacker.socket.close()
    }
  }, 120_000)

  it('refuses to start with a legacy certificate that is not its key’s', async () => {
    assertBuilt('bridge')
    const cli = startCli(
      [
        'bridge',
        'to-legacy',
        '--bind',
        `tcp://127.0.0.1:${await freePort()}`,
        '--legacy-cert',
        join(PEER_PKI, 'ssldir', 'svc-a.crt'),
        '--legacy-key',
        join(PEER_PKI, 'ssldir', 'svc-b.key'),
        '--config',
        join(bus.dir, 'to-legacy.json'),
      ],
      { cwd: bus.dir },
    )
    expect(await cli.exited).toBe(2)
    expect(cli.stderr.join('\n')).toContain('ERR_FEDMSG_CERT_INVALID')
  })
})

describe('both bridges at once', () => {
  it('never carries a message back where it came from', async () => {
    const bodhiAddress = await uniqueAddress('tcp', bus.dir)
    const kojiAddress = await uniqueAddress('tcp', bus.dir)
    const config = bus.config({ endpoints: { bodhi: [bodhiAddress], koji: [kojiAddress] } })
    const logger = pino({ level: 'silent' })
    const reverse = await ToLegacyBridge.start({
      bind: ['tcp://127.0.0.1:*'],
      signer: new LegacySigner({
        certificatePem: peerFile('ssldir/svc-b.crt'),
        privateKey: peerFile('ssldir/svc-b.key'),
      }),
      tuning: tuningFromConfig(config),
      logger,
    })
    const seen = recorder('org.fedoraproject.>')
    const hub = await createHub({
      config,
      consumers: [seen, { name: 'to-legacy', topic: '>', consume: (m) => reverse.consume(m) }],
    })
    // The forward bridge publishes as koji, reading the reverse bridge's legacy socket.
    const forwardPublisher = await createPublisher({ name: 'koji', config, awaitSubscribers: 1 })
    const forward = LegacyBridge.start({
      endpoints: reverse.endpoints,
      verifier: new LegacyVerifier({
        acceptSha1: true,
        caCerts: [peerFile('ca.crt')],
        crls: [peerFile('crl.pem')],
      }),
      publisher: forwardPublisher,
      logger,
    })
    const bodhi = await createPublisher({ name: 'bodhi', config, awaitSubscribers: 1 })
    try {
      await repeatUntil(
        () => bodhi.publish(topicOf('bodhi', 'update'), { n: 1 }),
        () => forward.stats().fromFedmsg1 > 0,
        'the forward bridge reading what the reverse bridge sent',
      )
      // A koji-signed message with legacy provenance (what the forward bridge publishes) is not sent back.
      await forwardPublisher.publish(
        topicOf('koji', 'build'),
        { from: 'legacy' },
        {
          headers: { legacy_sha256: 'cd'.repeat(32), legacy_signer: 'svc-a.peer.test' },
        },
      )
      await waitUntil(
        () => reverse.stats().fromLegacy === 1,
        'the reverse bridge skipping it',
        20_000,
      )
      // Every message the reverse bridge sent reached the forward bridge, which carried none back.
      await waitUntil(
        () => forward.stats().fromFedmsg1 === reverse.stats().republished,
        'the forward bridge reading every message the reverse bridge sent',
        20_000,
      )
      expect(forward.stats().bridged).toBe(0)
      expect(seen.messages.filter((m) => m.signer.name === 'koji')).toHaveLength(1)
    } finally {
      await forward.close()
      await forwardPublisher.close()
      await bodhi.close()
      await hub.close()
      reverse.close()
    }
  }, 120_000)
})
