/**
 * fedmsg logger DEALER -> fedmsg relay ROUTER --verify--> relay PUB -> fedmsg tail SUB --verify--> stdout
 *                      <- ack ok | rejected:<reason>
 *
 * Waiting for the tail: a SUB socket's subscription reaches the PUB asynchronously, after the connection's
 * handshake. The tail prints "connected to ADDRESS" on stderr at ZMQ_EVENT_HANDSHAKE_SUCCEEDED, which says
 * the session is up but not that the relay applied the subscription yet. So the test then sends probe
 * messages through the real path until the tail prints one (almost always the first): from then on the
 * subscription is in place for as long as the connection lasts, and no later message can be lost to it.
 * Each logger run itself needs no wait: its DEALER queues the message until connected, and it exits only
 * after the relay's acknowledgement.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/free-port.js'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { assertBuilt, cliChildren, runCli, type CliProcess } from './cli-process.js'

let bus: CliBus
const { start, stopAll } = cliChildren(() => bus.dir)
const fedmsg = (args: readonly string[], stdin?: string) =>
  runCli(args, { cwd: bus.dir, ...(stdin === undefined ? {} : { stdin }) })

beforeAll(() => {
  for (const command of ['logger', 'tail', 'relay']) assertBuilt(command)
  bus = makeCliBus(['logger', 'bodhi'])
  writeFileSync(
    join(bus.dir, 'policy.json'),
    JSON.stringify({
      default: 'deny',
      rules: [
        { topic: 'org.fedoraproject.*.logger.>', allow: ['logger'] },
        { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] },
      ],
    }),
  )
})
afterEach(stopAll)
afterAll(() => bus.cleanup())

/** A config for a relay on two free ports, with the routing policy above. */
async function busConfig(name: string) {
  const inbound = `tcp://127.0.0.1:${await freePort()}`
  const outbound = `tcp://127.0.0.1:${await freePort()}`
  const file = bus.writeConfig(name, {
    relay_inbound: inbound,
    relay_outbound: outbound,
    routing_policy: 'policy.json',
  })
  return { file, inbound, outbound }
}

type TailLine = { ok: boolean; topic: string; signer: string; body: { log?: string } }
const parsed = (tail: CliProcess): TailLine[] => tail.stdout.map((line) => JSON.parse(line))

/** Starts relay and tail, and returns once a probe went through both (see the header comment). */
async function relayAndTail(
  config: string,
  outbound: string,
  filters: readonly string[] = [],
): Promise<CliProcess> {
  const relay = start(['relay', '--config', config])
  await relay.line('stderr', (line) => line.includes('"relay started"'))
  const tail = start(['tail', '--config', config, '--json', '--connect', outbound, ...filters])
  await tail.line('stderr', (line) => line === `fedmsg tail: connected to ${outbound}`)
  for (let probe = 1; ; probe += 1) {
    const sent = await fedmsg([
      'logger',
      '--config',
      config,
      '--topic',
      'probe',
      '--message',
      `p${probe}`,
    ])
    expect(sent).toMatchObject({ code: 0, stderr: '' })
    try {
      await tail.line('stdout', (line) => line.includes(`"log":"p${probe}"`), 2000)
      return tail
    } catch (error) {
      if (probe === 10) throw error
    }
  }
}

describe('fedmsg logger -> fedmsg relay -> fedmsg tail', () => {
  it('200 sequential logger runs each exit 0 after the ack, and the tail prints all 200 exactly once', async () => {
    const { file, outbound } = await busConfig('count')
    const tail = await relayAndTail(file, outbound)
    const started = Date.now()
    for (let n = 0; n < 200; n += 1) {
      const run = await fedmsg([
        'logger',
        '--config',
        file,
        '--topic',
        'count',
        '--message',
        `n${n}`,
      ])
      expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' })
    }
    const elapsed = Date.now() - started
    const counted = () => parsed(tail).filter((line) => line.topic.endsWith('.logger.count'))
    await tail.until(() => counted().length >= 200, '200 counted messages')
    const bodies = counted().map((line) => line.body.log)
    expect(new Set(bodies).size).toBe(200)
    expect(bodies).toEqual(Array.from({ length: 200 }, (_, n) => `n${n}`))
    expect(counted().every((line) => line.ok && line.signer === 'logger')).toBe(true)
    expect(counted()[0]!.topic).toBe('org.fedoraproject.dev.logger.count')
    console.info(`200 logger runs in ${elapsed} ms (${(elapsed / 200).toFixed(0)} ms each)`)
  }, 240_000)

  it('--json-input sends one message per line; a line that is no JSON object is reported, exit 1', async () => {
    const { file, outbound } = await busConfig('json-input')
    const tail = await relayAndTail(file, outbound)
    const input = '{"job":"backup","ok":true}\n\nnot json\n[1]\n{"job":"rsync","ok":false}\n'
    const run = await fedmsg(
      ['logger', '--config', file, '--topic', 'cron', '--modname', 'logger', '--json-input'],
      input,
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('line 3: not a JSON object')
    expect(run.stderr).toContain('line 4: not a JSON object')
    const cron = () =>
      parsed(tail).filter((line) => line.topic === 'org.fedoraproject.dev.logger.cron')
    await tail.until(() => cron().length === 2, 'both JSON lines')
    expect(cron().map((line) => line.body)).toEqual([
      { job: 'backup', ok: true },
      { job: 'rsync', ok: false },
    ])
  })

  it('tail --topic and --exclude select what is printed', async () => {
    const { file, outbound } = await busConfig('filters')
    const filters = ['--topic', 'org.fedoraproject.*.logger.>', '--exclude', '*.*.*.logger.noise']
    const tail = await relayAndTail(file, outbound, filters)
    const send = (modname: string, topic: string) =>
      fedmsg([
        'logger',
        '--config',
        file,
        '--modname',
        modname,
        '--cert-name',
        modname,
        '--topic',
        topic,
        '--message',
        topic,
      ])
    for (const [modname, topic] of [
      ['logger', 'noise'],
      ['bodhi', 'update.request'],
      ['logger', 'last'],
    ]) {
      expect((await send(modname, topic)).code).toBe(0)
    }
    // One relay, one connection: the tail gets them in order, so once "last" is in, the others were seen.
    await tail.line('stdout', (line) =>
      line.includes('"topic":"org.fedoraproject.dev.logger.last"'),
    )
    const topics = parsed(tail).map((line) => line.topic)
    expect(topics.filter((topic) => !topic.endsWith('.probe'))).toEqual([
      'org.fedoraproject.dev.logger.last',
    ])
  })

  it('a message the relay rejects (policy_denied): exit 1 with the reason', async () => {
    const { file } = await busConfig('denied')
    const relay = start(['relay', '--config', file])
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const run = await fedmsg([
      'logger',
      '--config',
      file,
      '--topic',
      'update.request',
      '--modname',
      'bodhi',
      '--message',
      'x',
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('policy_denied')
    expect(run.stderr).toContain('[ERR_FEDMSG_RELAY_REJECTED]')
    const allowed = await fedmsg([
      'logger',
      '--config',
      file,
      '--topic',
      'update.request',
      '--modname',
      'bodhi',
      '--cert-name',
      'bodhi',
      '--message',
      'x',
    ])
    expect(allowed).toMatchObject({ code: 0, stderr: '' })
  })

  it('no relay answering: exit 1 with RelayTimeout, promptly after --timeout', async () => {
    const { file } = await busConfig('timeout')
    const started = Date.now()
    const run = await fedmsg([
      'logger',
      '--config',
      file,
      '--topic',
      'x',
      '--message',
      'lost?',
      '--timeout',
      '0.5',
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('[ERR_FEDMSG_RELAY_TIMEOUT]')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('issue 11 item 9: --timeout exits when the error is printed, heartbeat in flight or not, naming the relay', async () => {
    const inbound = `tcp://127.0.0.1:${await freePort()}`
    // Heartbeats every 300 ms: one is always awaiting its own acknowledgement when the message times out.
    const file = bus.writeConfig('timeout-heartbeat', {
      relay_inbound: inbound,
      heartbeat_interval_ms: 300,
    })
    const run = start([
      'logger',
      '--config',
      file,
      '--topic',
      'x',
      '--message',
      'm',
      '--timeout',
      '3',
    ])
    const error = await run.line('stderr', (line) => line.includes('[ERR_FEDMSG_RELAY_TIMEOUT]'))
    const printed = Date.now()
    expect(await run.exited).toBe(1)
    // Before the fix: 3 s more, the heartbeat's own acknowledgement timeout.
    expect(Date.now() - printed).toBeLessThan(1500)
    expect(error).toContain(inbound)
  })

  it('issue 11 item 9: --json-input ends with a summary on stderr: sent, acknowledged, refused by reason', async () => {
    const { file } = await busConfig('json-summary')
    const relay = start(['relay', '--config', file])
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const send = (modname: string, input: string) =>
      fedmsg(
        ['logger', '--config', file, '--topic', 'cron', '--modname', modname, '--json-input'],
        input,
      )
    const ok = await send('logger', '{"n":1}\n{"n":2}\n')
    expect(ok.code).toBe(0)
    expect(ok.stderr).toBe('fedmsg logger: 2 sent, 2 acknowledged, 0 refused')
    // The logger certificate may not publish bodhi topics: the relay refuses both (policy_denied).
    const denied = await send('bodhi', '{"n":1}\nnot json\n{"n":2}\n')
    expect(denied.code).toBe(1)
    expect(denied.stderr.split('\n').at(-1)).toBe(
      'fedmsg logger: 2 sent, 0 acknowledged, 2 refused (policy_denied 2); 1 line not sent (not a JSON object)',
    )
  })

  it.each([
    {
      name: 'neither --message nor --json-input',
      args: ['--topic', 'x'],
      code: 'ERR_FEDMSG_USAGE',
    },
    {
      name: 'an invalid topic',
      args: ['--topic', 'a..b', '--message', 'm'],
      code: 'ERR_FEDMSG_INVALID_TOPIC',
    },
    {
      name: 'a service without a certificate',
      args: ['--topic', 'x', '--message', 'm', '--cert-name', 'koji'],
      code: 'ERR_FEDMSG_CONFIG_INVALID',
    },
  ])('$name: exit 2, $code, nothing sent', async ({ args, code }) => {
    const { file } = await busConfig('usage')
    const run = await fedmsg(['logger', '--config', file, ...args])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`[${code}]`)
  })

  it('both --message and --json-input: exit 2', async () => {
    const { file } = await busConfig('both')
    const run = await fedmsg([
      'logger',
      '--config',
      file,
      '--topic',
      'x',
      '--message',
      'm',
      '--json-input',
    ])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('cannot be used with')
  })
})
