/**
 * fedmsg logger DEALER -> fedmsg relay ROUTER --verify--> PUB -> fedmsg trigger (a hub) SUB --verify-->
 *   spawn(node record.mjs OUT) <- the message as JSON on stdin, FEDMSG_* env
 *
 * All real processes on the bundled dev CA. The trigger's subscription settles asynchronously: probe messages
 * go through the real path until the command recorded one (test/cli/logger-tail.test.ts explains why).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { httpGet, makeCliBus, metric, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, REPO, runCli, cliChildren } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { recorded, writeRecorder } from './trigger-command.js'

let bus: CliBus
let recorder: string
const { start, stopAll } = cliChildren(() => bus.dir)
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(() => {
  for (const command of ['relay', 'logger', 'trigger']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  recorder = writeRecorder(bus.dir)
})
afterEach(stopAll)
afterAll(() => bus.cleanup())

describe('fedmsg trigger on a real bus', () => {
  it('runs the command per verified message, the body (shell metacharacters and all) as data; exit codes in /metrics', async () => {
    const [inbound, outbound] = [await tcp(), await tcp()]
    const file = bus.writeConfig('bus', { relay_inbound: inbound, relay_outbound: outbound })
    const relay = start(['relay', '--config', file])
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const out = join(bus.dir, 'runs.jsonl')
    const metricsAddress = `127.0.0.1:${await freePort()}`
    const trigger = start([
      'trigger',
      '--config',
      file,
      '--topic',
      'org.fedoraproject.*.logger.>',
      '--metrics',
      metricsAddress,
      '--',
      process.execPath,
      recorder,
      out,
    ])
    await trigger.line('stderr', (line) => line.includes('"trigger started"'))
    const logger = (args: readonly string[], stdin?: string) =>
      runCli(['logger', '--config', file, ...args], {
        cwd: bus.dir,
        ...(stdin === undefined ? {} : { stdin }),
      })
    for (let probe = 1; recorded(out).length === 0; probe += 1) {
      expect((await logger(['--topic', 'probe', '--message', `p${probe}`])).code).toBe(0)
      try {
        await waitUntil(() => recorded(out).length > 0, 'a probe run', 2000)
      } catch (error) {
        if (probe === 10) throw error
      }
    }
    const before = recorded(out).length
    const marker = join(bus.dir, 'pwned')
    const hostile = `$(touch ${marker}); \`touch ${marker}\`; rm -rf / | cat && echo '"\\`
    const sent = await logger(
      ['--topic', 'comment', '--json-input'],
      `${JSON.stringify({ text: hostile })}\n`,
    )
    expect(sent.code).toBe(0)
    await waitUntil(() => recorded(out).length === before + 1, 'the hostile message run', 15_000)
    const run = recorded(out).at(-1)!
    const message = JSON.parse(run.stdin)
    expect(message).toMatchObject({
      topic: 'org.fedoraproject.dev.logger.comment',
      signer: { name: 'logger' },
      body: { text: hostile },
    })
    expect(run.env).toEqual({
      FEDMSG_TOPIC: 'org.fedoraproject.dev.logger.comment',
      FEDMSG_SIGNER: 'logger',
      FEDMSG_MSG_ID: message.msg_id,
    })
    expect(existsSync(marker)).toBe(false)
    const text = (await httpGet(`http://${metricsAddress}/metrics`)).body
    expect(metric(text, 'fedmsg_trigger_command_exits_total{code="0"}')).toBe(before + 1)
    expect(metric(text, 'fedmsg_trigger_messages_dropped_total')).toBe(0)
    expect(metric(text, 'fedmsg_hub_consumer_dispatched_total{consumer="trigger"}')).toBe(
      before + 1,
    )
    trigger.child.kill('SIGTERM')
    expect(await trigger.exited).toBe(0)
    expect(trigger.stderr.join('\n')).toContain('"trigger stopped"')
  })

  it('docs/trigger.md command line starts a trigger on those topics', async () => {
    const doc = readFileSync(join(REPO, 'docs/trigger.md'), 'utf8')
    const line = /<!-- example: trigger-command-line -->\n\n```sh\n(.*)\n```/.exec(doc)![1]!
    // Split as sh would: words, with '…' quoting.
    const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
    expect(words.slice(0, 2)).toEqual(['fedmsg', 'trigger'])
    const file = bus.writeConfig('doc', { relay_outbound: await tcp() })
    const trigger = start([...words.slice(1, 2), '--config', file, ...words.slice(2)])
    const started = await trigger.line('stderr', (l) => l.includes('"trigger started"'))
    expect(JSON.parse(started)).toMatchObject({
      topic: ['org.fedoraproject.*.bodhi.update.request.>'],
      command: '/usr/local/bin/on-update',
    })
    trigger.child.kill('SIGTERM')
    expect(await trigger.exited, trigger.stdout.join('\n') + trigger.stderr.join('\n')).toBe(0)
  })

  it('a command line without -- COMMAND is a usage error (exit 2)', async () => {
    const run = await runCli(['trigger', '--topic', 'org.fedoraproject.>'], { cwd: bus.dir })
    expect(run.code).toBe(2)
  })
})
