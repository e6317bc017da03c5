/**
 * Issue 11, item 5: a publisher that closes cleanly is not a silent publisher.
 *
 *   fedmsg logger x2 --DEALER--> fedmsg relay --PUB--> fedmsg hub (/metrics): each run ends with a goodbye
 *   crasher.mjs (a long-lived publisher process) --heartbeats--> relay --> hub; SIGKILL: no goodbye
 *
 * The loggers finish before the crasher is killed, so a hub that counted them silent would show them silent
 * before (or with) the crasher: the first scrape with a silent publisher must show exactly one.
 */
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { spawn } from 'node:child_process'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/free-port.js'
import { makeCliBus, metric, scrapeUntil, type CliBus } from './cli-bus.js'
import { assertBuilt, REPO, runCli, startCli } from './cli-process.js'

let bus: CliBus
const cleanups: (() => unknown)[] = []
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(() => {
  for (const command of ['hub', 'relay', 'logger']) assertBuilt(command)
  bus = makeCliBus(['bodhi', 'logger'])
  const dist = pathToFileURL(resolve(REPO, 'dist/index.js')).href
  // A long-lived service: publishes once, then only heartbeats until it is killed.
  writeFileSync(
    join(bus.dir, 'crasher.mjs'),
    `import { createPublisher, loadConfig } from '${dist}'
const { config } = loadConfig({ configPath: process.argv[2] })
const publisher = await createPublisher({ name: 'bodhi', config: { ...config, active: true } })
await publisher.publish('update.request', { update: 'FEDORA-2024-1' })
process.stdout.write('sent\\n')
setInterval(() => undefined, 60_000)
`,
  )
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})
afterAll(() => bus.cleanup())

describe('publisher goodbye (issue 11, item 5)', () => {
  it('two logger runs are finished, not silent; a killed long-lived publisher is silent', async () => {
    const metricsAddress = `127.0.0.1:${await freePort()}`
    const metrics = `http://${metricsAddress}/metrics`
    const file = bus.writeConfig('goodbye', {
      relay_inbound: await tcp(),
      relay_outbound: await tcp(),
      heartbeat_interval_ms: 200,
    })
    const start = (args: readonly string[]) => {
      const child = startCli(args, { cwd: bus.dir })
      cleanups.push(() => child.kill())
      return child
    }
    const relay = start(['relay', '--config', file])
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const hub = start(['hub', '--config', file, '--metrics', metricsAddress])
    await hub.line('stderr', (line) => line.includes('"hub started"'))

    const crasher = spawn(process.execPath, [join(bus.dir, 'crasher.mjs'), file], {
      cwd: bus.dir,
      env: { PATH: process.env.PATH ?? '', HOME: bus.dir },
      stdio: 'ignore',
    })
    const crasherExited = new Promise((done) => crasher.once('exit', done))
    cleanups.push(async () => {
      crasher.kill('SIGKILL')
      await crasherExited
    })
    // The relay -> hub subscription is in place once the crasher's heartbeats come through.
    const count = (text: string, name: string) => metric(text, name) ?? 0
    await scrapeUntil(
      metrics,
      (text) => count(text, 'fedmsg_hub_heartbeats_total') > 0,
      'a heartbeat at the hub',
    )

    for (const run of [1, 2]) {
      const logged = await runCli(
        ['logger', '--config', file, '--topic', 'backup', '--message', `run ${run}`],
        { cwd: bus.dir },
      )
      expect(logged.code).toBe(0)
    }
    await scrapeUntil(
      metrics,
      (text) => count(text, 'fedmsg_hub_publishers_finished_total') === 2,
      'both logger runs finished',
    )

    crasher.kill('SIGKILL')
    await crasherExited
    const text = await scrapeUntil(
      metrics,
      (body) => count(body, 'fedmsg_hub_silent_publishers') > 0,
      'the killed publisher reported silent',
    )
    expect(count(text, 'fedmsg_hub_silent_publishers')).toBe(1)
    expect(count(text, 'fedmsg_hub_publishers')).toBe(1)
    expect(count(text, 'fedmsg_hub_publishers_finished_total')).toBe(2)
    const silentLines = hub.stderr.filter((line) => line.includes('"publisher silent"'))
    expect(silentLines).toHaveLength(1)
    expect(JSON.parse(silentLines[0]!)).toMatchObject({ signer: 'bodhi' })
  }, 60_000)
})
