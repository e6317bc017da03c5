/**
 * What `fedmsg` loads when it starts. Shell scripts run `fedmsg logger` once per message, so it loads its own
 * command alone and what signing needs: not the CA code and not @peculiar/x509 (node:crypto reads the signer's
 * certificate). Help still lists every command and every flag.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/free-port.js'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { assertBuilt, REPO, runCli } from './cli-process.js'

const COMMANDS = [
  'config',
  'ca',
  'sign',
  'verify',
  'policy',
  'hub',
  'relay',
  'logger',
  'tail',
  'demo',
]

let bus: CliBus
beforeAll(() => {
  for (const command of COMMANDS) assertBuilt(command)
  bus = makeCliBus(['logger'])
})
afterAll(() => bus.cleanup())

/** Runs `fedmsg ARGS` and returns its exit code, stderr and the URLs of the modules it imported. */
async function modulesLoadedBy(args: readonly string[]) {
  const log = join(bus.dir, `modules-${Date.now()}.log`)
  const hooks = resolve(import.meta.dirname, 'log-modules.mjs')
  const run = await promisify(execFile)(
    process.execPath,
    ['--import', hooks, resolve(REPO, 'bin/fedmsg.js'), ...args],
    { cwd: bus.dir, env: { PATH: process.env.PATH ?? '', HOME: bus.dir, FEDMSG_MODULE_LOG: log } },
  ).then(
    (done) => ({ code: 0, stderr: done.stderr }),
    (failed: { code: number; stderr: string }) => ({ code: failed.code, stderr: failed.stderr }),
  )
  return { ...run, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) }
}

describe('fedmsg logger loads only what it needs', () => {
  it('its own command module, the signer, and neither the CA code nor @peculiar/x509', async () => {
    // No relay listens: the logger signs, sends and gives up after --timeout, exit 1.
    const file = bus.writeConfig('lean', { relay_inbound: `tcp://127.0.0.1:${await freePort()}` })
    const run = await modulesLoadedBy([
      'logger',
      '--config',
      file,
      '--topic',
      't',
      '--message',
      'm',
      '--timeout',
      '0.3',
    ])
    expect(run.stderr).toContain('[ERR_FEDMSG_RELAY_TIMEOUT]')
    expect(run.code).toBe(1)
    const commands = run.modules.filter((url) => url.includes('/dist/cli/commands/'))
    expect(commands.map((url) => url.replace(/^.*\/dist\//, ''))).toEqual([
      'cli/commands/logger.js',
    ])
    expect(
      run.modules.some((url) => url.endsWith('/dist/crypto/envelope/envelope-signer.js')),
    ).toBe(true)
    expect(
      run.modules.filter((url) => /\/dist\/ca\/|@peculiar|reflect-metadata/.test(url)),
    ).toEqual([])
  })
})

describe('help still lists everything', () => {
  it('fedmsg --help lists every command', async () => {
    const run = await runCli(['--help'], { cwd: bus.dir })
    expect(run.code).toBe(0)
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
  })

  it.each(COMMANDS)('fedmsg %s --help shows its usage and flags', async (command) => {
    const run = await runCli([command, '--help'], { cwd: bus.dir })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Usage: fedmsg ${command} [options]`)
    expect(run.stdout).toContain('-h, --help')
  })

  it('fedmsg help logger shows the logger flags', async () => {
    const run = await runCli(['help', 'logger'], { cwd: bus.dir })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('--cert-name <name>')
  })

  it('a misspelt command: exit 2 and the nearest name', async () => {
    const run = await runCli(['loger', '--topic', 'x'], { cwd: bus.dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('(Did you mean logger?)')
  })
})
