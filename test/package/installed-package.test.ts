/**
 * Issue #11 item 1 (blocker): fedmsg as installed from its packed tarball. The README's first command and a
 * publisher on the dev defaults must work there, where no lifecycle script ran and every key is 0644.
 *
 *   npm pack ──> fedmsg-x.tgz ──npm install──> $TMP/fedmsg-app-XXXXXX/node_modules/fedmsg ──> npx fedmsg demo
 */
import { execFile } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installPackedApp, type InstalledApp } from './installed-app.js'

const run = promisify(execFile)
let app: InstalledApp

beforeAll(async () => {
  app = await installPackedApp()
}, 180_000)
afterAll(() => app?.remove())

/** Runs `command ARGS` in the app; resolves with its exit code and output, whatever the code. */
async function inApp(command: string, args: readonly string[]) {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: app.dir, env: app.env })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

/** Writes `lines` as the app's module `name` and runs it with node. */
function runScript(name: string, lines: readonly string[]) {
  writeFileSync(join(app.dir, name), lines.join('\n'))
  return inApp(process.execPath, [join(app.dir, name)])
}

describe('fedmsg installed from its packed tarball', () => {
  it('ships a built dist/ with its types, the bin and the bundled dev CA', () => {
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/internal.js',
      'dist/internal.d.ts',
      'bin/fedmsg.js',
      'certs/dev/root-ca.crt',
    ]) {
      expect(app.packedFiles, file).toContain(file)
    }
  })

  it('resolves fedmsg and fedmsg/internal, and refuses deep imports of dist/ (issue #13 item 4)', async () => {
    const ran = await runScript('subpaths.js', [
      "const root = await import('fedmsg')",
      "const internal = await import('fedmsg/internal')",
      "const deep = await import('fedmsg/dist/crypto/chain/chain-validator.js').then(() => 'resolved', (e) => e.code)",
      "console.log(typeof root.EnvelopeVerifier, 'ChainValidator' in root, typeof internal.ChainValidator, deep)",
    ])
    expect(ran).toMatchObject({ code: 0, stderr: '' })
    expect(ran.stdout).toBe('function false function ERR_PACKAGE_PATH_NOT_EXPORTED\n')
  }, 60_000)

  it('ships no source maps: they would point at src/*.ts, which is not shipped (issue #11 item 13)', () => {
    expect(app.packedFiles.filter((file) => file.endsWith('.map'))).toEqual([])
    expect(app.packedFiles.filter((file) => file.startsWith('src/'))).toEqual([])
  })

  it('arrives with group- and world-readable dev keys (no prepare, no chmod ran)', () => {
    const mode = statSync(join(app.packageDir, 'certs/dev/services/bodhi.key')).mode & 0o777
    expect(mode & 0o077).not.toBe(0)
  })

  it('npx fedmsg --help lists the commands', async () => {
    const help = await inApp('npx', ['--no-install', 'fedmsg', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^ {2}demo\b/m)
  }, 60_000)

  it('npx fedmsg demo --duration 3 runs the bus on the bundled dev CA: exit 0, forgeries rejected', async () => {
    const demo = await inApp('npx', ['--no-install', 'fedmsg', 'demo', '--duration', '3'])
    expect(demo.stderr).not.toContain('ERR_FEDMSG_KEY_INSECURE')
    expect(demo.code).toBe(0)
    expect(demo.stdout).toMatch(/✔ bodhi +org\.fedoraproject\.dev\.bodhi\./)
    expect(demo.stdout).toMatch(/^forger +sent [1-9]\d*, none got through/m)
  }, 90_000)

  it('createPublisher({ config: devDefaults() }) signs with a bundled dev key and publishes', async () => {
    const published = await runScript('publish.js', [
      "import { createPublisher, devDefaults } from 'fedmsg'",
      "const bus = await createPublisher({ name: 'bodhi', config: devDefaults() })",
      "await bus.publish('update.request', { update: 'foo-1.0-1.fc40' })",
      'await bus.close()',
      "console.log('published')",
    ])
    expect(published.stderr).not.toContain('ERR_FEDMSG_KEY_INSECURE')
    expect(published.code).toBe(0)
    expect(published.stdout).toBe('published\n')
  }, 60_000)
})
