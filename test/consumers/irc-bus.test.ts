/**
 * fedmsg logger DEALER -> fedmsg relay ROUTER --verify--> PUB -> fedmsg irc (a hub) SUB --verify-->
 *   summary line -> ngircd (real, Debian's) -> a test IRC client in the channels
 *
 * All real processes on the bundled dev CA. The bot's subscription settles asynchronously: probe messages go
 * through the real path until the listener saw one (test/cli/logger-tail.test.ts explains why).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { httpGet, makeCliBus, metric, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, REPO, runCli, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { createNgircd, type Ngircd } from '../fixtures/ngircd.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { listenOnIrc, type IrcListener } from './irc-listener.js'

let bus: CliBus
let ircd: Ngircd
let config: string
const children: CliProcess[] = []
const listeners: IrcListener[] = []
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`
const start = (args: readonly string[]) => {
  const child = startCli(args, { cwd: bus.dir })
  children.push(child)
  return child
}
const log = async (json: Record<string, unknown>, topic = 'comment') => {
  const sent = await runCli(['logger', '--config', config, '--topic', topic, '--json-input'], {
    cwd: bus.dir,
    stdin: `${JSON.stringify(json)}\n`,
  })
  expect(sent.code, sent.stderr).toBe(0)
}
const listen = async (nick: string, channels: readonly string[]) => {
  const listener = await listenOnIrc(ircd.port, nick, channels)
  listeners.push(listener)
  return listener
}
/** Starts `fedmsg irc` and sends probes until `listener` sees one in `channel`. */
const startBot = async (listener: IrcListener, channel: string, args: readonly string[]) => {
  const bot = start(['irc', '--config', config, '--server', '127.0.0.1', ...args])
  await bot.line('stderr', (line) => line.includes('"irc connected"'))
  for (let probe = 1; !listener.lines.some((l) => l.target === channel); probe += 1) {
    await log({ log: `probe ${probe}` }, 'probe')
    try {
      await waitUntil(() => listener.lines.some((l) => l.target === channel), 'a probe', 2000)
    } catch (error) {
      if (probe === 10) throw error
    }
  }
  listener.lines.splice(0)
  return bot
}

beforeAll(async () => {
  for (const command of ['relay', 'logger', 'irc']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  ircd = await createNgircd()
  const [inbound, outbound] = [await tcp(), await tcp()]
  config = bus.writeConfig('bus', { relay_inbound: inbound, relay_outbound: outbound })
  const relay = start(['relay', '--config', config])
  await relay.line('stderr', (line) => line.includes('"relay started"'))
}, 30_000)
afterEach(async () => {
  listeners.splice(0).forEach((l) => l.close())
  await Promise.all(children.splice(1).map((child) => child.kill()))
})
afterAll(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()))
  await ircd.cleanup()
  bus.cleanup()
})

describe('fedmsg irc on a real bus and a real ngircd', () => {
  it('posts summaries per channel filter (firehose gets all), control and formatting codes stripped, long ones cut', async () => {
    const person = await listen('alice', ['#firehose', '#comments'])
    const port = String(ircd.port)
    await startBot(person, '#firehose', [
      '--port',
      port,
      '--nick',
      'fedbot',
      '--no-colour',
      '--max-line-bytes',
      '200',
      '--channel',
      '#firehose',
      '--channel',
      '#comments=org.fedoraproject.*.logger.comment',
    ])
    await log({ log: 'build \x02done\x02\r\nQUIT :owned \x0304red\x03 \x1b[1m' })
    await log({ log: 'not a comment' }, 'other')
    await log({ log: 'x'.repeat(5000) })
    await waitUntil(() => person.lines.length === 5, 'five lines', 15_000)
    const seen = person.lines.map((l) => `${l.nick} ${l.target} ${l.text}`)
    expect(seen.slice(0, 3).sort()).toEqual([
      'fedbot #comments logger: build done QUIT :owned red [1m (logger)',
      'fedbot #firehose logger: build done QUIT :owned red [1m (logger)',
      'fedbot #firehose logger: not a comment (logger)',
    ])
    for (const line of person.lines.slice(3)) {
      expect(line.text).toMatch(/^logger: x+…$/)
      expect(Buffer.byteLength(line.text)).toBeLessThanOrEqual(200)
    }
  })

  it('flood control holds: no window sees more than burst + rate × time; the overflow is dropped and counted', async () => {
    const person = await listen('bob', ['#flood'])
    const metrics = `127.0.0.1:${await freePort()}`
    const [rate, burst] = [2, 2]
    await startBot(person, '#flood', [
      '--port',
      String(ircd.port),
      '--nick',
      'floodbot',
      '--channel',
      '#flood',
      '--rate',
      String(rate),
      '--burst',
      String(burst),
      '--queue-size',
      '3',
      '--metrics',
      metrics,
    ])
    const counts = async () => {
      const text = (await httpGet(`http://${metrics}/metrics`)).body
      const read = (name: string) => metric(text, name) ?? 0
      return {
        sent: read('fedmsg_irc_lines_sent_total'),
        dropped: read('fedmsg_irc_lines_dropped_total'),
      }
    }
    const before = await counts()
    const json = Array.from({ length: 20 }, (_, n) => JSON.stringify({ log: `m${n}` })).join('\n')
    const sent = await runCli(['logger', '--config', config, '--topic', 'flood', '--json-input'], {
      cwd: bus.dir,
      stdin: `${json}\n`,
    })
    expect(sent.code, sent.stderr).toBe(0)
    let after = await counts()
    for (
      let deadline = Date.now() + 30_000;
      after.sent + after.dropped - before.sent - before.dropped < 20;
    ) {
      if (Date.now() > deadline)
        throw new Error(`20 lines not accounted for: ${JSON.stringify(after)}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
      after = await counts()
    }
    const delivered = after.sent - before.sent
    expect(after.dropped - before.dropped).toBeGreaterThan(0)
    await waitUntil(() => person.lines.length === delivered, `${delivered} lines`, 15_000)
    const at = person.lines.map((l) => l.at)
    // Token bucket: lines i..j (inclusive) need (j - i + 1 - burst) / rate seconds; 100 ms of slack for the
    // server and the clients' jitter (a flood would be several lines within a few ms).
    for (let i = 0; i < at.length; i += 1) {
      for (let j = i + burst; j < at.length; j += 1) {
        expect(at[j]! - at[i]! + 100).toBeGreaterThanOrEqual(((j - i + 1 - burst) * 1000) / rate)
      }
    }
  })

  it('survives a server restart: reconnects, rejoins and posts again', async () => {
    const person = await listen('carol', ['#restart'])
    const bot = await startBot(person, '#restart', [
      '--port',
      String(ircd.port),
      '--nick',
      'restartbot',
      '--channel',
      '#restart',
    ])
    person.close()
    listeners.splice(0)
    await ircd.stop()
    await bot.line('stderr', (line) => line.includes('"irc connection lost: reconnecting"'))
    await ircd.start()
    await bot.until(
      () => bot.stderr.filter((line) => line.includes('"irc connected"')).length === 2,
      'a second "irc connected"',
      30_000,
    )
    const back = await listen('carol2', ['#restart'])
    await log({ log: 'after the restart' })
    await waitUntil(() => back.lines.length > 0, 'a line after the restart', 15_000)
    // eslint-disable-next-line no-control-regex -- the colour code and reset around the service name
    expect(back.lines[0]!.text).toMatch(/^\x03\d\dlogger\x0f: after the restart \(logger\)$/)
  })

  it('a nick in use gets _ appended; both bots post', async () => {
    const person = await listen('dave', ['#nicks'])
    const args = ['--port', String(ircd.port), '--nick', 'twinbot', '--channel', '#nicks']
    await startBot(person, '#nicks', args)
    const second = start(['irc', '--config', config, '--server', '127.0.0.1', ...args])
    const connected = await second.line('stderr', (line) => line.includes('"irc connected"'))
    expect(JSON.parse(connected).nick).toBe('twinbot_')
    expect(second.stderr.some((line) => line.includes('"irc nick in use: trying another"'))).toBe(
      true,
    )
    await waitUntil(() => person.joins.includes('twinbot_'), 'twinbot_ joined', 15_000)
    await log({ log: 'twice' })
    await waitUntil(() => person.lines.length === 2, 'a line from each bot', 15_000)
    expect(person.lines.map((l) => l.nick).sort()).toEqual(['twinbot', 'twinbot_'])
  })
})

describe('docs/irc.md', () => {
  it('its command line starts a bot that joins the channels it names', async () => {
    const doc = readFileSync(join(REPO, 'docs/irc.md'), 'utf8')
    const line = /<!-- example: irc-command-line -->\n\n```sh\n(.*)\n```/.exec(doc)![1]!
    // Split as sh would: words, with '…' quoting.
    const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
    expect(words.slice(0, 2)).toEqual(['fedmsg', 'irc'])
    // The real server instead of irc.example.org, without TLS (ngircd here has none).
    const args = words.slice(1).filter((word) => word !== '--tls')
    args[args.indexOf('irc.example.org')] = '127.0.0.1'
    const person = await listen('erin', ['#fedora-apps'])
    const bot = start([...args, '--port', String(ircd.port), '--config', config])
    await bot.line('stderr', (l) => l.includes('"irc connected"'))
    await waitUntil(() => person.joins.includes('fedmsg-bot'), 'the bot in #fedora-apps', 15_000)
  })
})
