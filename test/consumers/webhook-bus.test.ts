/**
 * fedmsg logger DEALER -> fedmsg relay ROUTER --verify--> PUB -> fedmsg webhook (a hub) SUB --verify-->
 *   POST {envelope, summary} -> a real node:http receiver -> fedmsg verify (the envelope, as received)
 *
 * All real processes on the bundled dev CA; probes go through until the receiver got one (the subscription
 * settles asynchronously, test/cli/logger-tail.test.ts explains why).
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCliBus, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, REPO, runCli, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
// @ts-expect-error -- a plain JavaScript example, without types
import { startTicketUpdater } from '../../examples/webhook/ticket-updater.js'

let bus: CliBus
let server: Server
const children: CliProcess[] = []
const closers: (() => void)[] = []
const received: { envelope: string; summary: { subtitle: string; service: string } }[] = []
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(async () => {
  for (const command of ['relay', 'logger', 'webhook', 'verify']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
})
afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()))
  closers.forEach((close) => close())
  await new Promise((resolve) => server.close(resolve))
  bus.cleanup()
})

describe('fedmsg webhook on a real bus', () => {
  it('POSTs the signed envelope unchanged (it verifies at the receiver) with its summary', async () => {
    const [inbound, outbound] = [await tcp(), await tcp()]
    const config = bus.writeConfig('bus', { relay_inbound: inbound, relay_outbound: outbound })
    const relay = startCli(['relay', '--config', config], { cwd: bus.dir })
    children.push(relay)
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const { port } = server.address() as { port: number }
    const tickets = new Map<string, string[]>()
    const updater = await startTicketUpdater({
      trustAnchors: [readFileSync(join(bus.dir, 'pki/root-ca.crt'), 'utf8')],
      tickets,
    })
    closers.push(updater.close)
    const hook = startCli(
      [
        'webhook',
        '--config',
        config,
        '--target',
        `http://127.0.0.1:${port}/hook=org.fedoraproject.*.logger.>`,
        '--target',
        `${updater.url}=org.fedoraproject.*.logger.ticket`,
      ],
      { cwd: bus.dir },
    )
    children.push(hook)
    await hook.line('stderr', (line) => line.includes('"webhook started"'))
    const log = (text: string) =>
      runCli(['logger', '--config', config, '--topic', 'ticket', '--message', text], {
        cwd: bus.dir,
      })
    for (let probe = 1; received.length === 0; probe += 1) {
      expect((await log(`probe ${probe}`)).code).toBe(0)
      try {
        await waitUntil(() => received.length > 0, 'a probe POST', 2000)
      } catch (error) {
        if (probe === 10) throw error
      }
    }
    received.splice(0)
    expect((await log('ticket #42 fixed')).code).toBe(0)
    await waitUntil(() => received.length === 1, 'the POST', 15_000)
    const [post] = received
    expect(post!.summary).toMatchObject({
      service: 'logger',
      subtitle: 'ticket #42 fixed (logger)',
    })
    const verdict = await runCli(['verify', '--ca', 'pki/root-ca.crt'], {
      cwd: bus.dir,
      stdin: `${post!.envelope}\n`,
    })
    expect(verdict.code, verdict.stderr).toBe(0)
    expect(verdict.stdout).toContain('org.fedoraproject.dev.logger.ticket')
    // examples/webhook/ticket-updater.js verified the envelope and commented on the ticket it names.
    await waitUntil(() => tickets.has('42'), 'ticket 42 updated', 15_000)
    expect(tickets.get('42')).toEqual(['logger: ticket #42 fixed (logger)'])
    const forged = post!.envelope.replace('ticket #42 fixed', 'ticket #43 fixed')
    const refused = await fetch(updater.url, {
      method: 'POST',
      body: JSON.stringify({ envelope: forged, summary: post!.summary }),
    })
    expect(refused.status).toBe(403)
    expect(tickets.has('43')).toBe(false)
    hook.child.kill('SIGTERM')
    expect(await hook.exited).toBe(0)
    expect(hook.stderr.join('\n')).toContain('"webhook stopped"')
  })
})

describe('docs/webhook.md', () => {
  it('its command line starts a webhook on those targets', async () => {
    const doc = readFileSync(join(REPO, 'docs/webhook.md'), 'utf8')
    const line = /<!-- example: webhook-command-line -->\n\n```sh\n(.*)\n```/.exec(doc)![1]!
    // Split as sh would: words, with '…' quoting.
    const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
    expect(words.slice(0, 2)).toEqual(['fedmsg', 'webhook'])
    const config = bus.writeConfig('doc', { relay_outbound: await tcp() })
    const hook = startCli([...words.slice(1), '--config', config], { cwd: bus.dir })
    children.push(hook)
    const started = await hook.line('stderr', (l) => l.includes('"webhook started"'))
    expect(JSON.parse(started).targets).toEqual(['https://tickets.example.org/fedmsg'])
    hook.child.kill('SIGTERM')
    expect(await hook.exited).toBe(0)
  })
})
