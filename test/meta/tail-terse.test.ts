/**
 * fedmsg logger -> fedmsg relay -> fedmsg tail --terse (summary_processors: a site processor that throws)
 * The tail prints the fallback summary for each message and names the failing processor once on stderr.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { makeCliBus, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, runCli, cliChildren } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'

let bus: CliBus
const { start, stopAll } = cliChildren(() => bus.dir)
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(() => {
  for (const command of ['relay', 'logger', 'tail']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  writeFileSync(
    join(bus.dir, 'thrower.mjs'),
    `export default { name: 'thrower', services: ['logger'], summarize() { throw new Error('boom\\nsecond line') } }\n`,
  )
})
afterEach(stopAll)
afterAll(() => bus.cleanup())

describe('fedmsg tail --terse with a failing site processor', () => {
  it('prints the fallback summary per message and reports the processor once', async () => {
    const [inbound, outbound] = [await tcp(), await tcp()]
    const file = bus.writeConfig('bus', {
      relay_inbound: inbound,
      relay_outbound: outbound,
      summary_processors: [{ module: 'thrower.mjs' }],
    })
    const relay = start(['relay', '--config', file])
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const tail = start(['tail', '--config', file, '--terse'])
    await tail.line('stderr', (line) => line.startsWith('fedmsg tail: connected to'))
    const summaries = () => tail.stdout.filter((line) => line.includes(' logger published '))
    for (let probe = 1; summaries().length === 0; probe += 1) {
      const run = await runCli(['logger', '--config', file, '--topic', 'probe', '--message', 'p'], {
        cwd: bus.dir,
      })
      expect(run.code).toBe(0)
      try {
        await tail.until(() => summaries().length > 0, 'a probe line', 2000)
      } catch (error) {
        if (probe === 10) throw error
      }
    }
    const seen = summaries().length
    await runCli(['logger', '--config', file, '--topic', 'second', '--message', 'x'], {
      cwd: bus.dir,
    })
    await tail.until(() => summaries().length === seen + 1, 'the second message')
    expect(summaries().at(-1)).toMatch(
      / logger org\.fedoraproject\.dev\.logger\.second logger published org\.fedoraproject\.dev\.logger\.second$/,
    )
    const reports = tail.stderr.filter((line) => line.includes('summary processor thrower failed'))
    expect(reports).toEqual([
      'fedmsg tail: summary processor thrower failed (Error: boom second line): fallback used',
    ])
  })
})
