/**
 * fedmsg logger DEALER -> fedmsg relay ROUTER --verify--> PUB -> fedmsg memcached (a hub) SUB --verify-->
 *   set fedmsg:<pattern> -> a real memcached <- get (text protocol, as a web app) -> fedmsg verify
 * and the same sink run by `fedmsg hub` from a config's `memcached` section.
 *
 * All real processes on the bundled dev CA; probes go through until memcached holds one (the subscription
 * settles asynchronously, test/cli/logger-tail.test.ts explains why).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { makeCliBus, metric, scrapeUntil, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, REPO, runCli, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { startMemcached, type MemcachedServer } from '../fixtures/memcached-server.js'
import { setTimeout as delay } from 'node:timers/promises'

let bus: CliBus
let memcached: MemcachedServer
const children: CliProcess[] = []
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`
const PATTERN = 'org.fedoraproject.*.logger.>'
type Stored = { pattern: string; messages: { envelope: string; summary: { subtitle: string } }[] }

beforeAll(async () => {
  for (const command of ['relay', 'logger', 'memcached', 'hub', 'verify']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  memcached = await startMemcached()
})
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()))
})
afterAll(async () => {
  await memcached?.stop()
  bus?.cleanup()
})

/** A relay, and a function that logs one message through it. */
async function relayBus(name: string, values: Record<string, unknown> = {}) {
  const [inbound, outbound] = [await tcp(), await tcp()]
  const config = bus.writeConfig(name, {
    relay_inbound: inbound,
    relay_outbound: outbound,
    ...values,
  })
  const relay = startCli(['relay', '--config', config], { cwd: bus.dir })
  children.push(relay)
  await relay.line('stderr', (line) => line.includes('"relay started"'))
  const log = async (text: string) => {
    const args = ['logger', '--config', config, '--topic', 'note', '--message', text]
    expect((await runCli(args, { cwd: bus.dir })).code).toBe(0)
  }
  return { config, log }
}

const stored = async (key: string) =>
  JSON.parse((await memcached.get(key)) ?? 'null') as Stored | null

/** Resolves once `condition()` (which asks memcached) holds; rejects after `timeoutMs`. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await delay(20)
  }
}

/** Logs probes until memcached holds one under `key`. */
async function probeUntilStored(log: (text: string) => Promise<void>, key: string): Promise<void> {
  for (let probe = 1; (await stored(key)) === null; probe += 1) {
    await log(`probe ${probe}`)
    try {
      await until(async () => (await stored(key)) !== null, 'a probe in memcached', 2000)
    } catch (error) {
      if (probe === 10) throw error
    }
  }
}

describe('fedmsg memcached on a real bus', () => {
  it('keeps the latest N messages per pattern; a web app reads and verifies them', async () => {
    const { config, log } = await relayBus('stuffer')
    const metricsPort = await freePort()
    const stuffer = startCli(
      [
        'memcached',
        '--config',
        config,
        '--server',
        memcached.address,
        '--topic',
        `${PATTERN}=2`,
        '--key-prefix',
        'bus:',
        '--metrics',
        `127.0.0.1:${metricsPort}`,
      ],
      { cwd: bus.dir },
    )
    children.push(stuffer)
    await stuffer.line('stderr', (line) => line.includes('"memcached started"'))
    const key = `bus:${PATTERN}`
    await probeUntilStored(log, key)
    for (const text of ['first', 'second', 'third']) await log(text)
    const subtitles = async () => (await stored(key))!.messages.map((m) => m.summary.subtitle)
    await until(async () => (await subtitles())[0]!.startsWith('third'), 'the third message')
    expect(await subtitles()).toEqual(['third (logger)', 'second (logger)'])
    const newest = (await stored(key))!.messages[0]!
    // docs/memcached.md shows this value's shape.
    const doc = readFileSync(join(REPO, 'docs/memcached.md'), 'utf8')
    const sample = JSON.parse(
      /<!-- example: memcached-value -->\n\n```json\n([\s\S]*?)\n```/.exec(doc)![1]!,
    )
    expect(Object.keys((await stored(key))!)).toEqual(Object.keys(sample))
    expect(Object.keys(newest)).toEqual(Object.keys(sample.messages[0]))
    expect(Object.keys(sample.messages[0].summary)).toEqual(
      expect.arrayContaining(Object.keys(newest.summary)),
    )
    const verdict = await runCli(['verify', '--ca', 'pki/root-ca.crt'], {
      cwd: bus.dir,
      stdin: `${newest.envelope}\n`,
    })
    expect(verdict.code, verdict.stderr).toBe(0)
    expect(verdict.stdout).toContain('org.fedoraproject.dev.logger.note')
    const text = await scrapeUntil(
      `http://127.0.0.1:${metricsPort}/metrics`,
      (body) => (metric(body, 'fedmsg_memcached_writes_total') ?? 0) >= 2,
      'memcached writes',
    )
    expect(metric(text, 'fedmsg_memcached_up')).toBe(1)
    stuffer.child.kill('SIGTERM')
    expect(await stuffer.exited).toBe(0)
    expect(stuffer.stderr.join('\n')).toContain('"memcached stopped"')
  })

  it('a memcached that is down gives one log line and a counter; the hub keeps verifying', async () => {
    const { config, log } = await relayBus('down')
    const metricsPort = await freePort()
    const nowhere = `127.0.0.1:${await freePort()}`
    const stuffer = startCli(
      [
        'memcached',
        '--config',
        config,
        '--server',
        nowhere,
        '--topic',
        PATTERN,
        '--timeout',
        '0.2',
        '--metrics',
        `127.0.0.1:${metricsPort}`,
      ],
      { cwd: bus.dir },
    )
    children.push(stuffer)
    await stuffer.line('stderr', (line) => line.includes('"memcached started"'))
    const url = `http://127.0.0.1:${metricsPort}/metrics`
    for (let probe = 1; ; probe += 1) {
      await log(`probe ${probe}`)
      try {
        await scrapeUntil(
          url,
          (b) => (metric(b, 'fedmsg_memcached_write_failures_total') ?? 0) > 0,
          'a failure',
          2000,
        )
        break
      } catch (error) {
        if (probe === 10) throw error
      }
    }
    const before = metric(await (await fetch(url)).text(), 'fedmsg_hub_messages_verified_total')!
    for (const text of ['a', 'b', 'c']) await log(text)
    const after = await scrapeUntil(
      url,
      (b) => (metric(b, 'fedmsg_hub_messages_verified_total') ?? 0) >= before + 3,
      'the hub verifying while memcached is down',
    )
    expect(metric(after, 'fedmsg_memcached_up')).toBe(0)
    expect(metric(after, 'fedmsg_memcached_pending_lists')).toBe(1)
    const failedLines = stuffer.stderr.filter((l) => l.includes('memcached write failed'))
    expect(failedLines).toHaveLength(1)
    expect(JSON.parse(failedLines[0]!).why).toMatch(/ECONNREFUSED/)
  })
})

describe('fedmsg hub with a memcached section', () => {
  it('runs the memcached consumer from the config', async () => {
    const section = {
      servers: [memcached.address],
      topics: [{ pattern: PATTERN, keep: 3 }],
      key_prefix: 'hub:',
    }
    const { config, log } = await relayBus('hub', { memcached: section })
    const hub = startCli(['hub', '--config', config], { cwd: bus.dir })
    children.push(hub)
    const started = await hub.line('stderr', (line) => line.includes('"hub started"'))
    expect(JSON.parse(started).consumers).toContain('memcached')
    await probeUntilStored(log, `hub:${PATTERN}`)
    expect((await stored(`hub:${PATTERN}`))!.pattern).toBe(PATTERN)
  })
})

describe('docs/memcached.md', () => {
  it('its config section is a valid memcached section that fedmsg memcached runs', async () => {
    const doc = readFileSync(join(REPO, 'docs/memcached.md'), 'utf8')
    const json = /<!-- example: memcached-config -->\n\n```json\n([\s\S]*?)\n```/.exec(doc)![1]!
    const section = JSON.parse(json).memcached
    section.servers = [memcached.address]
    const { config, log } = await relayBus('doc', { memcached: section })
    const stuffer = startCli(['memcached', '--config', config], { cwd: bus.dir })
    children.push(stuffer)
    const started = await stuffer.line('stderr', (line) => line.includes('"memcached started"'))
    expect(JSON.parse(started).topics).toEqual(
      section.topics.map((t: { pattern: string }) => t.pattern),
    )
    const logger = section.topics.find((t: { pattern: string }) => t.pattern.includes('logger'))
    await probeUntilStored(log, `${section.key_prefix ?? 'fedmsg:'}${logger.pattern}`)
  })

  it('its command line starts fedmsg memcached on those servers and topics', async () => {
    const doc = readFileSync(join(REPO, 'docs/memcached.md'), 'utf8')
    const line = /<!-- example: memcached-command-line -->\n\n```sh\n(.*)\n```/.exec(doc)![1]!
    const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
    expect(words.slice(0, 2)).toEqual(['fedmsg', 'memcached'])
    const config = bus.writeConfig('doc-line', { relay_outbound: await tcp() })
    const stuffer = startCli([...words.slice(1), '--config', config], { cwd: bus.dir })
    children.push(stuffer)
    const started = JSON.parse(
      await stuffer.line('stderr', (l) => l.includes('"memcached started"')),
    )
    expect(started.servers).toEqual(['memcached.example.org:11211'])
    stuffer.child.kill('SIGTERM')
    expect(await stuffer.exited).toBe(0)
  })
})
