/**
 * Issue 11, item 11: `tail --topic a.b.c` without a wildcard. Python's fedmsg-tail passed --topic to ZeroMQ as
 * a prefix subscription, so a topic without wildcards showed that topic and everything below it; fedmsg tail
 * does the same, on whole tokens (`--topic …logger` shows `…logger.backup.done`, never `…loggerx.y`). The
 * same rule for --exclude.
 *
 *   fedmsg logger --DEALER--> fedmsg relay --PUB--> fedmsg tail --topic org.fedoraproject.dev.logger
 *                                                              --exclude org.fedoraproject.dev.logger.noise
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/free-port.js'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { assertBuilt, runCli, cliChildren } from './cli-process.js'

let bus: CliBus
const { start, stopAll } = cliChildren(() => bus.dir)

beforeAll(() => {
  for (const command of ['logger', 'tail', 'relay']) assertBuilt(command)
  bus = makeCliBus(['logger'])
})
afterEach(stopAll)
afterAll(() => bus.cleanup())

describe('fedmsg tail --topic without a wildcard', () => {
  it('shows the topic and every topic below it, like Python fedmsg-tail; --exclude likewise', async () => {
    const outbound = `tcp://127.0.0.1:${await freePort()}`
    const file = bus.writeConfig('prefix', {
      relay_inbound: `tcp://127.0.0.1:${await freePort()}`,
      relay_outbound: outbound,
    })
    const send = (modname: string, topic: string) =>
      runCli(
        ['logger', '--config', file, '--modname', modname, '--topic', topic, '--message', topic],
        { cwd: bus.dir },
      )
    const relay = start(['relay', '--config', file])
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const tail = start([
      ...['tail', '--config', file, '--json', '--connect', outbound],
      ...['--topic', 'org.fedoraproject.dev.logger'],
      ...['--exclude', 'org.fedoraproject.dev.logger.noise'],
    ])
    await tail.line('stderr', (line) => line === `fedmsg tail: connected to ${outbound}`)
    // The subscription reaches the relay a moment after the handshake: probe until one is printed.
    for (let probe = 1; ; probe += 1) {
      expect((await send('logger', `probe.p${probe}`)).code).toBe(0)
      try {
        await tail.line('stdout', (line) => line.includes(`.logger.probe.p${probe}"`), 2000)
        break
      } catch (error) {
        if (probe === 10) throw error
      }
    }
    for (const [modname, topic] of [
      ['logger', 'noise.loud'],
      ['bodhi', 'update'],
      ['loggerx', 'other'],
      ['logger', 'backup.done'],
      ['logger', 'last'],
    ] as const) {
      expect((await send(modname, topic)).code).toBe(0)
    }
    // One relay, one connection: in order, so once "last" is in, the others were seen.
    await tail.line('stdout', (line) =>
      line.includes('"topic":"org.fedoraproject.dev.logger.last"'),
    )
    const topics = tail.stdout.map((line) => (JSON.parse(line) as { topic: string }).topic)
    expect(topics.filter((topic) => !topic.includes('.probe.'))).toEqual([
      'org.fedoraproject.dev.logger.backup.done',
      'org.fedoraproject.dev.logger.last',
    ])
  }, 60_000)
})
