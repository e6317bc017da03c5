/**
 * Faults at the process level: the real CLI, killed with SIGKILL (no shutdown code runs), then restarted.
 *
 *   fedmsg logger -> fedmsg relay (SIGKILL, restarted on the same ports) -> fedmsg tail
 *   attacker XPUB --M--> fedmsg hub #1 (accepts M; SIGKILL) ; fedmsg hub #2 --M again--X replay
 */
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { freePort } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { rawPublisher } from '../transport/bus-fixture.js'
import { makeCliBus, metric, scrapeUntil, type CliBus } from './cli-bus.js'
import { assertBuilt, runCli, startCli, type CliProcess } from './cli-process.js'

let bus: CliBus
const cleanups: (() => unknown)[] = []
const start = (args: readonly string[]) => {
  const child = startCli(args, { cwd: bus.dir })
  cleanups.push(() => child.kill())
  return child
}
const started = (child: CliProcess, what: 'hub' | 'relay') =>
  child.line('stderr', (line) => line.includes(`"${what} started"`))
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`
const log = (config: string, message: string) =>
  runCli(
    ['logger', '--config', config, '--topic', 'fault', '--message', message, '--timeout', '20'],
    {
      cwd: bus.dir,
    },
  )

beforeAll(() => {
  for (const command of ['hub', 'relay', 'logger', 'tail']) assertBuilt(command)
  bus = makeCliBus(['bodhi', 'logger'])
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})
afterAll(() => bus.cleanup())

describe('relay killed mid-stream', () => {
  it('SIGKILL, restart on the same ports: a logger run made meanwhile is acknowledged by the new relay, and the tail resumes', async () => {
    const [inbound, outbound] = [await tcp(), await tcp()]
    const config = bus.writeConfig('relay-kill', {
      relay_inbound: inbound,
      relay_outbound: outbound,
      reconnect_ivl_ms: 50,
    })
    const first = start(['relay', '--config', config])
    await started(first, 'relay')
    const tail = start(['tail', '--config', config, '--json', '--connect', outbound])
    await tail.line('stderr', (line) => line === `fedmsg tail: connected to ${outbound}`)
    const seen = (text: string) => tail.stdout.some((line) => line.includes(`"log":"${text}"`))
    // Until the tail's subscription reached the relay, PUB drops: send until one arrives.
    for (let n = 0; !seen(`before-${n - 1}`); n++) {
      expect((await log(config, `before-${n}`)).code).toBe(0)
      await tail
        .until(() => seen(`before-${n}`), 'the first message', 500)
        .catch(() => {
          if (n === 20) throw new Error('the tail received nothing in 20 tries')
        })
    }

    first.child.kill('SIGKILL')
    expect(await first.exited).toBe('SIGKILL')
    // The logger's DEALER queues its message until a relay answers; it exits only on the ack.
    const during = log(config, 'during')
    const second = start(['relay', '--config', config])
    await started(second, 'relay')
    expect(await during).toMatchObject({ code: 0, stderr: '' })

    // The tail reconnects by itself (ZMQ_RECONNECT_IVL); what the new relay forwarded before the tail's
    // subscription reached it is lost, as PUB/SUB loses across reconnects, so the test sends until one lands.
    for (let n = 0; !seen(`after-${n - 1}`); n++) {
      expect((await log(config, `after-${n}`)).code).toBe(0)
      await tail
        .until(() => seen(`after-${n}`), 'a message through the new relay', 500)
        .catch(() => {
          if (n === 20) throw new Error('the tail received nothing from the new relay in 20 tries')
        })
    }
    const lines = tail.stdout.map((line) => JSON.parse(line) as { ok: boolean; signer: string })
    expect(lines.every((line) => line.ok && line.signer === 'logger')).toBe(true)
    const bodies = tail.stdout.filter((line) => line.includes('"log":'))
    expect(new Set(bodies).size).toBe(bodies.length)
  })
})

describe('hub killed', () => {
  it('SIGKILL, restart: the new hub refuses a replay of what the old one accepted and serves fresh traffic', async () => {
    const attackerAddress = await tcp()
    const metricsPorts = [await freePort(), await freePort()]
    const config = bus.writeConfig('hub-kill', { endpoints: { attacker: [attackerAddress] } })
    const attacker = await rawPublisher(attackerAddress)
    cleanups.push(() => attacker.socket.close())
    const bodhi = EnvelopeSigner.fromFiles({
      certFile: join(bus.dir, 'pki/bodhi.crt'),
      keyFile: join(bus.dir, 'pki/bodhi.key'),
    })
    const sign = (n: number) =>
      bodhi.sign({ topic: 'org.fedoraproject.dev.bodhi.update.request', msg: { n }, i: n })
    const verified = (text: string) => metric(text, 'fedmsg_hub_messages_verified_total') ?? 0
    const replays = (text: string) =>
      metric(text, 'fedmsg_hub_messages_rejected_total{reason="replay"}') ?? 0

    const hub = (port: number) => {
      const cli = start(['hub', '--config', config, '--metrics', `127.0.0.1:${port}`])
      return { cli, metrics: `http://127.0.0.1:${port}/metrics` }
    }
    const first = hub(metricsPorts[0]!)
    await started(first.cli, 'hub')
    await attacker.subscribed()
    const recorded = sign(1)
    await attacker.send([recorded.topic, recorded.frame])
    await scrapeUntil(first.metrics, (text) => verified(text) === 1, 'hub #1 to verify it')

    first.cli.child.kill('SIGKILL')
    expect(await first.cli.exited).toBe('SIGKILL')
    const stampedAt = (JSON.parse(recorded.frame.toString()) as { timestamp: number }).timestamp
    await waitUntil(() => Date.now() > stampedAt, 'the clock to pass the recorded stamp')
    const second = hub(metricsPorts[1]!)
    await started(second.cli, 'hub')
    await attacker.subscribed()
    await attacker.send([recorded.topic, recorded.frame])
    const fresh = sign(2)
    await attacker.send([fresh.topic, fresh.frame])
    const text = await scrapeUntil(
      second.metrics,
      (body) => replays(body) === 1 && verified(body) === 1,
      'hub #2 to refuse the replay and verify the fresh message',
    )
    expect(metric(text, 'fedmsg_hub_messages_received_total')).toBe(2)
  })
})
