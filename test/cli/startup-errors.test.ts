/**
 * Startup failures of the bus commands: nothing runs, exit status 2, and stderr says what is wrong and what
 * to do (`fedmsg: MESSAGE [CODE]`).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/free-port.js'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { assertBuilt, runCli } from './cli-process.js'

let bus: CliBus
const cleanups: (() => unknown)[] = []
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(() => {
  for (const command of ['hub', 'relay', 'logger']) assertBuilt(command)
  bus = makeCliBus(['logger'])
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})
afterAll(() => bus.cleanup())

describe('startup errors: exit 2 with a clear message', () => {
  it('a port in use: exit 2 with ERR_FEDMSG_ADDRESS_IN_USE, for the hub metrics and the relay sockets', async () => {
    const taken = createServer()
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done))
    cleanups.push(() => new Promise((done) => taken.close(done)))
    const port = (taken.address() as { port: number }).port
    const file = bus.writeConfig('in-use', {
      relay_inbound: await tcp(),
      relay_outbound: await tcp(),
    })

    const hub = await runCli(['hub', '--config', file, '--metrics', `127.0.0.1:${port}`], {
      cwd: bus.dir,
    })
    expect(hub.code).toBe(2)
    expect(hub.stderr).toContain(`address 127.0.0.1:${port} is already in use`)
    expect(hub.stderr).toContain('[ERR_FEDMSG_ADDRESS_IN_USE]')

    const relay = await runCli(
      ['relay', '--config', file, '--inbound', `tcp://127.0.0.1:${port}`],
      {
        cwd: bus.dir,
      },
    )
    expect(relay.code).toBe(2)
    expect(relay.stderr).toContain('[ERR_FEDMSG_ADDRESS_IN_USE]')
  })

  it('a missing CA file: exit 2 with ERR_FEDMSG_CONFIG_NOT_FOUND naming the file', async () => {
    const file = bus.writeConfig('no-ca', {
      trust: ['pki/missing-root.crt'],
      relay_outbound: await tcp(),
    })
    const hub = await runCli(['hub', '--config', file], { cwd: bus.dir })
    expect(hub.code).toBe(2)
    expect(hub.stderr).toContain('missing-root.crt')
    expect(hub.stderr).toContain('[ERR_FEDMSG_CONFIG_NOT_FOUND]')
  })

  it('an insecure signing key: exit 2 with ERR_FEDMSG_KEY_INSECURE and the chmod to run', async () => {
    const open = join(bus.dir, 'pki/open-logger.key')
    writeFileSync(open, readFileSync(join(bus.dir, 'pki/logger.key')), { mode: 0o644 })
    const file = bus.writeConfig('insecure', {
      relay_inbound: await tcp(),
      certs: { logger: { cert: 'pki/logger.crt', key: 'pki/open-logger.key' } },
    })
    const run = await runCli(['logger', '--config', file, '--topic', 't', '--message', 'm'], {
      cwd: bus.dir,
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`chmod 600 ${open}`)
    expect(run.stderr).toContain('[ERR_FEDMSG_KEY_INSECURE]')
  })

  it('a config file found means no dev defaults: without trust, the relay refuses to start', async () => {
    const file = bus.writeConfig('no-trust', {
      relay_inbound: await tcp(),
      relay_outbound: await tcp(),
    })
    writeFileSync(file, JSON.stringify({ relay_inbound: await tcp(), relay_outbound: await tcp() }))
    const relay = await runCli(['relay', '--config', file], { cwd: bus.dir })
    expect(relay.code).toBe(2)
    expect(relay.stderr).toContain('no trust anchors')
    expect(relay.stderr).toContain('[ERR_FEDMSG_CONFIG_INVALID]')
  })
})
