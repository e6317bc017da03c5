/**
 * fedmsg logger -> fedmsg relay -> fedmsg irc (a hub) --TLS--> ngircd's SSL port (a certificate made by the
 * real openssl) -> a test IRC client on the plain port, in the channel.
 *
 * The bot verifies the server's certificate like any TLS client: trusted here through NODE_EXTRA_CA_CERTS,
 * and refused when not trusted. ngircd has no SASL, so SASL is not tested against a server (docs/irc.md).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { makeCliBus, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, runCli, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { createNgircd, type Ngircd } from '../fixtures/ngircd.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { listenOnIrc, type IrcListener } from './irc-listener.js'

let bus: CliBus
let ircd: Ngircd
let config: string
let relay: CliProcess
const children: CliProcess[] = []
const listeners: IrcListener[] = []
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(async () => {
  for (const command of ['relay', 'logger', 'irc']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  ircd = await createNgircd({ tls: true })
  const [inbound, outbound] = [await tcp(), await tcp()]
  config = bus.writeConfig('bus', { relay_inbound: inbound, relay_outbound: outbound })
  relay = startCli(['relay', '--config', config], { cwd: bus.dir })
  await relay.line('stderr', (line) => line.includes('"relay started"'))
}, 30_000)
afterEach(async () => {
  listeners.splice(0).forEach((l) => l.close())
  await Promise.all(children.splice(0).map((child) => child.kill()))
})
afterAll(async () => {
  await relay?.kill()
  await ircd?.cleanup()
  bus?.cleanup()
})

const bot = (env: Record<string, string>) => {
  const args = ['irc', '--config', config, '--server', '127.0.0.1', '--tls']
  const child = startCli([...args, '--port', String(ircd.tlsPort), '--channel', '#tls'], {
    cwd: bus.dir,
    env,
  })
  children.push(child)
  return child
}

describe('fedmsg irc over TLS to a real ngircd', () => {
  it('connects with TLS, verifying the server certificate, and posts', async () => {
    const person = await listenOnIrc(ircd.port, 'carol', ['#tls'])
    listeners.push(person)
    const irc = bot({ NODE_EXTRA_CA_CERTS: ircd.certFile! })
    const connected = await irc.line('stderr', (line) => line.includes('"irc connected"'), 30_000)
    expect(JSON.parse(connected).server).toBe(`127.0.0.1:${ircd.tlsPort}`)
    for (let probe = 1; !person.lines.some((l) => l.text.includes('over tls')); probe += 1) {
      const args = [
        'logger',
        '--config',
        config,
        '--topic',
        'note',
        '--message',
        `over tls ${probe}`,
      ]
      expect((await runCli(args, { cwd: bus.dir })).code).toBe(0)
      try {
        await waitUntil(() => person.lines.some((l) => l.text.includes('over tls')), 'a line', 2000)
      } catch (error) {
        if (probe === 10) throw error
      }
    }
    expect(person.lines.find((l) => l.text.includes('over tls'))!.target).toBe('#tls')
  })

  it('refuses a server certificate it does not trust: no registration, a reconnect log line', async () => {
    const irc = bot({})
    const lost = await irc.line('stderr', (l) => l.includes('irc connection lost'), 30_000)
    expect(JSON.parse(lost).why).toMatch(/self[- ]signed|certificate/i)
    expect(irc.stderr.some((l) => l.includes('"irc connected"'))).toBe(false)
  })
})
