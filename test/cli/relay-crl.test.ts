/**
 * A verifying relay reloads its CRL files, as a hub does: once the CA revokes the logger's certificate and
 * the new crl.pem lands (written aside, renamed over), the running relay refuses the logger's messages.
 *   fedmsg ca revoke + fedmsg ca crl -> crl.pem -> fedmsg relay ("CRLs reloaded")
 *   fedmsg logger -> fedmsg relay: ack rejected:revoked -> exit 1
 */
import { chmodSync, cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/free-port.js'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { assertBuilt, REPO, runCli, startCli, type CliProcess } from './cli-process.js'

let bus: CliBus
const children: CliProcess[] = []
const fedmsg = (args: readonly string[]) => runCli(args, { cwd: bus.dir })

beforeAll(() => {
  for (const command of ['relay', 'logger', 'ca']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  // A copy of the dev issuing CA, to revoke with.
  cpSync(resolve(REPO, 'certs/dev/ca/intermediate'), join(bus.dir, 'ca'), { recursive: true })
  chmodSync(join(bus.dir, 'ca/ca.key'), 0o600)
})
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()))
})
afterAll(() => bus.cleanup())

describe('fedmsg relay and revocation', () => {
  it('reloads crl.pem when it changes: a revoked logger is refused (revoked) without a restart', async () => {
    const relayInbound = `tcp://127.0.0.1:${await freePort()}`
    const file = bus.writeConfig('crl', {
      relay_inbound: relayInbound,
      relay_outbound: `tcp://127.0.0.1:${await freePort()}`,
    })
    const relay = startCli(['relay', '--config', file], { cwd: bus.dir })
    children.push(relay)
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const log = ['logger', '--config', file, '--topic', 'backup.complete', '--message', 'db01']
    expect(await fedmsg(log)).toMatchObject({ code: 0, stderr: '' })

    const revoke = ['ca', 'revoke', '--dir', 'ca', '--cert', 'pki/logger.crt']
    expect((await fedmsg([...revoke, '--reason', 'keyCompromise'])).code).toBe(0)
    expect(
      (await fedmsg(['ca', 'crl', '--dir', 'ca', '--out', 'issuing.crl', '--days', '7'])).code,
    ).toBe(0)
    const rootCrl = readFileSync(resolve(REPO, 'certs/dev/ca/root/crl.pem'), 'utf8')
    const next = join(bus.dir, 'pki/crl.pem.next')
    writeFileSync(next, rootCrl + readFileSync(join(bus.dir, 'issuing.crl'), 'utf8'))
    renameSync(next, join(bus.dir, 'pki/crl.pem'))
    await relay.line('stderr', (line) => line.includes('"CRLs reloaded"'), 20_000)

    const refused = await fedmsg(log)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('(revoked)')
    expect(refused.stderr).toContain('[ERR_FEDMSG_RELAY_REJECTED]')
  })
})
