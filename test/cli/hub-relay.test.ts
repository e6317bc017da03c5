/**
 * library publisher DEALER -> fedmsg relay ROUTER --verify--> PUB -> fedmsg hub SUB --verify--> consumer module
 * attacker XPUB (endpoints.attacker) --forged--> fedmsg hub: rejected, counted by reason in /metrics
 * fedmsg logger -> relay A -> relay B (--upstream A's outbound; no config: dev defaults) -> fedmsg tail
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Dealer } from 'zeromq'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { packageVersion } from '../../src/package-version.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { freePort } from '../fixtures/free-port.js'
import { rawPublisher } from '../transport/bus-fixture.js'
import { httpGet, makeCliBus, metric, scrapeUntil, type CliBus } from './cli-bus.js'
import { assertBuilt, runCli, startCli, type CliProcess } from './cli-process.js'

const TOPIC = 'org.fedoraproject.dev.bodhi.update.request'
let bus: CliBus
const cleanups: (() => unknown)[] = []
const start = (args: readonly string[], cwd = bus.dir) => {
  const child = startCli(args, { cwd })
  cleanups.push(() => child.kill())
  return child
}
const started = (child: CliProcess, what: 'hub' | 'relay') =>
  child.line('stderr', (line) => line.includes(`"${what} started"`))
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(() => {
  for (const command of ['hub', 'relay', 'logger', 'tail']) assertBuilt(command)
  bus = makeCliBus(['bodhi', 'logger'])
  writeFileSync(
    join(bus.dir, 'append-consumer.mjs'),
    `import { appendFileSync } from 'node:fs'
export default {
  topic: 'org.fedoraproject.*.bodhi.>',
  consume(message) {
    const line = JSON.stringify({ topic: message.topic, signer: message.signer.name, body: message.body })
    appendFileSync(new URL('./consumed.jsonl', import.meta.url), line + '\\n')
  },
}
`,
  )
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})
afterAll(() => bus.cleanup())

/** A genuine bodhi envelope with one bit of its signature flipped: still canonical JSON. */
function tamperedEnvelope(): Buffer {
  const signer = EnvelopeSigner.fromFiles({
    certFile: join(bus.dir, 'pki/bodhi.crt'),
    keyFile: join(bus.dir, 'pki/bodhi.key'),
  })
  const text = signer
    .sign({ topic: TOPIC, msg: { update: 'FEDORA-2024-666' }, i: 1 })
    .frame.toString()
  const at = text.indexOf('"signature":"') + '"signature":"'.length
  return Buffer.from(text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1))
}

function consumedLines(): unknown[] {
  try {
    const text = readFileSync(join(bus.dir, 'consumed.jsonl'), 'utf8')
    return text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
  } catch {
    return []
  }
}

describe('fedmsg relay + fedmsg hub', () => {
  it('the hub dispatches what the relay forwards, /metrics counts verified and rejected, SIGTERM exits 0', async () => {
    const [inbound, outbound, attackerAddress] = [await tcp(), await tcp(), await tcp()]
    const metrics = `http://127.0.0.1:${await freePort()}`
    const file = bus.writeConfig('hub', {
      relay_inbound: inbound,
      relay_outbound: outbound,
      endpoints: { attacker: [attackerAddress] },
      consumers: [{ module: './append-consumer.mjs' }],
      heartbeat_interval_ms: 100,
    })
    const attacker = await rawPublisher(attackerAddress)
    cleanups.push(() => attacker.socket.close())
    const relay = start(['relay', '--config', file])
    await started(relay, 'relay')
    const hub = start(['hub', '--config', file, '--metrics', metrics.slice('http://'.length)])
    await started(hub, 'hub')
    await attacker.subscribed()
    const publisher = await createPublisher({
      name: 'bodhi',
      config: { ...loadConfig({ configPath: file }).config, active: true },
    })
    cleanups.push(() => publisher.close())
    // The relay -> hub subscription is in place once the publisher's heartbeats come through.
    const heartbeats = (text: string) => metric(text, 'fedmsg_hub_heartbeats_total') ?? 0
    await scrapeUntil(`${metrics}/metrics`, (text) => heartbeats(text) > 0, 'heartbeat at the hub')

    for (const n of [1, 2, 3])
      await publisher.publish('update.request', { update: `FEDORA-2024-${n}` })
    await attacker.send([TOPIC, 'garbage'])
    await attacker.send([TOPIC, tamperedEnvelope()])

    const rejected = (text: string, reason: string) =>
      metric(text, `fedmsg_hub_messages_rejected_total{reason="${reason}"}`)
    const text = await scrapeUntil(
      `${metrics}/metrics`,
      (body) =>
        consumedLines().length === 3 &&
        rejected(body, 'malformed') === 1 &&
        rejected(body, 'bad_signature') === 1,
      'all three dispatched and both forgeries counted',
    )
    expect(consumedLines()).toEqual(
      [1, 2, 3].map((n) => ({
        topic: TOPIC,
        signer: 'bodhi',
        body: { update: `FEDORA-2024-${n}` },
      })),
    )
    expect(metric(text, 'fedmsg_hub_messages_verified_total')).toBeGreaterThanOrEqual(3)
    expect(metric(text, 'fedmsg_hub_consumer_completed_total{consumer="append-consumer"}')).toBe(3)
    expect(rejected(text, 'replay')).toBe(0)
    expect(text).toContain('# TYPE fedmsg_hub_verify_duration_seconds histogram')
    expect(metric(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
    expect(metric(text, `fedmsg_build_info{version="${packageVersion()}"}`)).toBe(1)
    // Every message read had two frames, so every one went through the verifier.
    expect(metric(text, 'fedmsg_hub_verify_duration_seconds_count')).toBe(
      metric(text, 'fedmsg_hub_messages_received_total'),
    )
    expect(await httpGet(`${metrics}/healthz`)).toEqual({ status: 200, body: 'ok\n' })

    hub.child.kill('SIGTERM')
    expect(await hub.exited).toBe(0)
    const log = hub.stderr.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(log).toContainEqual(
      expect.objectContaining({ msg: 'message verified', signer: 'bodhi', topic: TOPIC }),
    )
    expect(log).toContainEqual(
      expect.objectContaining({
        msg: 'message rejected',
        reason: 'bad_signature',
        signer: 'bodhi',
      }),
    )
    expect(log.at(-1)).toMatchObject({
      msg: 'hub stopped',
      cause: 'SIGTERM',
      received: expect.any(Number),
    })
    relay.child.kill('SIGTERM')
    expect(await relay.exited).toBe(0)
  })

  it('relay metrics count forwarded and rejected messages; /healthz answers 200', async () => {
    const [inbound, outbound] = [await tcp(), await tcp()]
    const metrics = `http://127.0.0.1:${await freePort()}`
    const file = bus.writeConfig('relay-metrics', {
      relay_inbound: inbound,
      relay_outbound: outbound,
      metrics_address: metrics.slice('http://'.length),
    })
    const relay = start(['relay', '--config', file])
    await started(relay, 'relay')
    const logger = (cert: string) =>
      runCli(['logger', '--config', file, '--topic', 't', '--message', 'm', '--cert-name', cert], {
        cwd: bus.dir,
      })
    expect((await logger('logger')).code).toBe(0)
    // The message and the logger's goodbye heartbeat (which the logger waits for at most its linger).
    const text = await scrapeUntil(
      `${metrics}/metrics`,
      (body) => metric(body, 'fedmsg_relay_messages_forwarded_total') === 2,
      'the message and the goodbye forwarded',
    )
    expect(metric(text, 'fedmsg_relay_messages_rejected_total{reason="replay"}')).toBe(0)
    // Issue 11 item 14: the process and Node.js series and the build info, as prom-client exports them.
    expect(metric(text, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(metric(text, 'process_open_fds')).toBeGreaterThan(0)
    expect(metric(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0)
    expect(metric(text, `fedmsg_build_info{version="${packageVersion()}"}`)).toBe(1)
    expect(await httpGet(`${metrics}/healthz`)).toEqual({ status: 200, body: 'ok\n' })
    expect((await httpGet(`${metrics}/nothing`)).status).toBe(404)
  })

  it('two relays in a chain: logger -> relay A -> relay B (--upstream, dev defaults) -> tail', async () => {
    const [aIn, aOut, bIn, bOut] = [await tcp(), await tcp(), await tcp(), await tcp()]
    const file = bus.writeConfig('chain', { relay_inbound: aIn, relay_outbound: aOut })
    const relayA = start(['relay', '--config', file])
    await started(relayA, 'relay')
    // Relay B has no config file at all: it runs on the dev defaults, whose CA signed the logger's cert.
    const empty = join(bus.dir, 'empty')
    mkdirSync(empty, { recursive: true })
    const relayB = start(['relay', '--inbound', bIn, '--outbound', bOut, '--upstream', aOut], empty)
    await started(relayB, 'relay')
    expect(relayB.stderr.join('\n')).toContain('no config file found')
    const tail = start(['tail', '--config', file, '--terse', '--connect', bOut])
    await tail.line('stderr', (line) => line === `fedmsg tail: connected to ${bOut}`)
    // Both subscriptions (B at A, tail at B) settle asynchronously: probe until one message made it through.
    for (let probe = 1; ; probe += 1) {
      const run = await runCli(
        ['logger', '--config', file, '--topic', `probe${probe}`, '--message', 'p'],
        {
          cwd: bus.dir,
        },
      )
      expect(run.code).toBe(0)
      try {
        await tail.line(
          'stdout',
          (line) => line.includes(` org.fedoraproject.dev.logger.probe${probe} `),
          2000,
        )
        break
      } catch (error) {
        if (probe === 10) throw error
      }
    }
    for (const n of [1, 2, 3]) {
      const run = await runCli(
        ['logger', '--config', file, '--topic', 'chained', '--message', `c${n}`],
        { cwd: bus.dir },
      )
      expect(run.code).toBe(0)
    }
    const chained = () =>
      tail.stdout.filter((line) => line.includes(' logger org.fedoraproject.dev.logger.chained '))
    await tail.until(() => chained().length === 3, 'three chained messages')
    expect(chained()[0]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z logger org\.fedoraproject\.dev\.logger\.chained c1 \(logger\)$/,
    )
  })

  it('relay --no-verify forwards a forgery the default relay refuses; tail --show-rejected names the reason', async () => {
    const [inbound, outbound] = [await tcp(), await tcp()]
    const file = bus.writeConfig('no-verify', { relay_inbound: inbound, relay_outbound: outbound })
    const relay = start(['relay', '--config', file, '--no-verify'])
    await started(relay, 'relay')
    const tail = start([
      'tail',
      '--config',
      file,
      '--json',
      '--show-rejected',
      '--connect',
      outbound,
    ])
    await tail.line('stderr', (line) => line.includes('connected to'))
    const dealer = new Dealer({ linger: 0 })
    cleanups.push(() => dealer.close())
    dealer.connect(inbound)
    // Probe with the forgery itself until the tail reports one; each is acknowledged "ok" by the proxy.
    for (let probe = 1; ; probe += 1) {
      await dealer.send([Buffer.from([probe]), TOPIC, tamperedEnvelope()])
      const [, status] = await dealer.receive()
      expect(status!.toString()).toBe('ok')
      try {
        await tail.line('stdout', (line) => line.includes('"ok":false'), 2000)
        break
      } catch (error) {
        if (probe === 10) throw error
      }
    }
    const reported = JSON.parse(tail.stdout.find((line) => line.includes('"ok":false'))!)
    expect(reported).toMatchObject({
      ok: false,
      reason: 'bad_signature',
      topic: TOPIC,
      signer: 'bodhi',
    })
    expect(reported.detail).toEqual(expect.any(String))
  })
})
