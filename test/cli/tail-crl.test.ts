/**
 * Bug (#11, item 4): `fedmsg tail` never reloaded its CRL files, so a tail started before a revocation went on
 * printing the revoked service's messages as verified. It now reloads them through the same CrlWatcher as
 * the hub and the relay.
 *   fedmsg logger -> fedmsg relay --no-verify (a plain proxy) -> fedmsg tail --json --show-rejected
 *   fedmsg ca revoke + fedmsg ca crl -> crl.pem (renamed over) -> tail: "CRLs reloaded" -> rejected:revoked
 */
import { chmodSync, cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/free-port.js'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { assertBuilt, REPO, runCli, cliChildren } from './cli-process.js'

let bus: CliBus
const fedmsg = (args: readonly string[]) => runCli(args, { cwd: bus.dir })
const { start, stopAll } = cliChildren(() => bus.dir)

beforeAll(() => {
  for (const command of ['relay', 'logger', 'tail', 'ca']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  // A copy of the dev issuing CA, to revoke with.
  cpSync(resolve(REPO, 'certs/dev/ca/intermediate'), join(bus.dir, 'ca'), { recursive: true })
  chmodSync(join(bus.dir, 'ca/ca.key'), 0o600)
})
afterEach(stopAll)
afterAll(() => bus.cleanup())

type TailLine = { ok: boolean; reason?: string; body?: { log?: string } }

describe('fedmsg tail and revocation', () => {
  it('a tail started before a revocation stops printing the revoked service once crl.pem is replaced', async () => {
    const outbound = `tcp://127.0.0.1:${await freePort()}`
    const file = bus.writeConfig('tail-crl', {
      relay_inbound: `tcp://127.0.0.1:${await freePort()}`,
      relay_outbound: outbound,
    })
    const relay = start(['relay', '--config', file, '--no-verify'])
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const tail = start([
      'tail',
      '--config',
      file,
      '--json',
      '--show-rejected',
      '--connect',
      outbound,
    ])
    await tail.line('stderr', (line) => line === `fedmsg tail: connected to ${outbound}`)
    const log = (text: string) =>
      fedmsg(['logger', '--config', file, '--topic', 'backup', '--message', text])
    const printed = (text: string) =>
      tail.line('stdout', (line) => (JSON.parse(line) as TailLine).body?.log === text, 2000)
    // The subscription reaches the relay some time after the handshake: probe until one arrives.
    for (let probe = 1; ; probe += 1) {
      expect((await log(`p${probe}`)).code).toBe(0)
      try {
        await printed(`p${probe}`)
        break
      } catch (error) {
        if (probe === 10) throw error
      }
    }

    const revoke = ['ca', 'revoke', '--dir', 'ca', '--cert', 'pki/logger.crt']
    expect((await fedmsg([...revoke, '--reason', 'keyCompromise'])).code).toBe(0)
    const crl = ['ca', 'crl', '--dir', 'ca', '--out', 'issuing.crl', '--days', '7']
    expect((await fedmsg(crl)).code).toBe(0)
    const rootCrl = readFileSync(resolve(REPO, 'certs/dev/ca/root/crl.pem'), 'utf8')
    const next = join(bus.dir, 'pki/crl.pem.next')
    writeFileSync(next, rootCrl + readFileSync(join(bus.dir, 'issuing.crl'), 'utf8'))
    renameSync(next, join(bus.dir, 'pki/crl.pem'))
    await tail.line('stderr', (line) => line.includes('"CRLs reloaded"'), 30_000)

    expect((await log('after-revocation')).code).toBe(0)
    const rejected = await tail.line('stdout', (line) => {
      const parsed = JSON.parse(line) as TailLine
      return !parsed.ok && parsed.reason === 'revoked'
    })
    expect(rejected).not.toContain('after-revocation')
    expect(tail.stdout.map((line) => JSON.parse(line) as TailLine)).not.toContainEqual(
      expect.objectContaining({ ok: true, body: { log: 'after-revocation' } }),
    )
  }, 90_000)
})
