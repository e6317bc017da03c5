/**
 * The modules and shell blocks of README.md and docs/*.md, run as a user runs them: against fedmsg packed and
 * installed into a fresh app (test/package/installed-app.ts), on a machine with no fedmsg configuration.
 * Absolute paths of the examples (/etc/fedmsg, /media/ca, /srv) are moved under a temp root; nothing else
 * in a block is changed, except what a reader fills in by hand (a serial number, a host's copy step).
 *
 *   README.md, docs/*.md ──blocks──> $APP/snippets/*.mjs, bash ──import 'fedmsg', npx fedmsg──> the package
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_SNIPPETS, commandLines, kindOf, type DocSnippet } from './doc-snippets.js'
import { freePort } from '../fixtures/free-port.js'
import { consumerDriver, rebase, run, writeVerifierGivens, type Run } from './snippet-runner.js'
import { installPackedApp, REPO, type InstalledApp } from '../package/installed-app.js'

let app: InstalledApp

beforeAll(async () => {
  app = await installPackedApp()
  mkdirSync(join(app.dir, 'snippets'))
}, 180_000)
afterAll(() => app?.remove())

const modules = ALL_SNIPPETS.filter((s) => kindOf(s) === 'module')
const shells = ALL_SNIPPETS.filter((s) => kindOf(s) === 'shell')
const inApp = (path: string) => join(app.dir, path)
const devCa = (path: string) => join(app.packageDir, 'certs', 'dev', path)

/** Writes a TypeScript or JavaScript block as an ES module of the app and runs it with node. */
async function runModule(snippet: DocSnippet, name: string, preload?: string): Promise<Run> {
  const { outputText } = ts.transpileModule(snippet.code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  })
  const file = inApp(`snippets/${name}.mjs`)
  writeFileSync(file, outputText)
  return run(process.execPath, [...(preload ? ['--import', preload] : []), file], app.env, app.dir)
}

describe('TypeScript and JavaScript blocks, against the installed package', () => {
  it.each(modules.map((s) => [s.where, s]))(
    '%s runs',
    async (where, snippet) => {
      const name = where.replace(/\W+/g, '-')
      if (snippet.code.includes('new EnvelopeVerifier(')) {
        // Fills in what the block takes as given: the files of /etc/fedmsg and one frame pair to verify.
        const root = inApp(name)
        const preload = writeVerifierGivens(root, devCa(''))
        const result = await runModule(
          { ...snippet, code: rebase(snippet.code, root) },
          name,
          preload,
        )
        expect(result).toMatchObject({ code: 0, stderr: '' })
        expect(result.stdout).toBe('handled bodhi org.fedoraproject.prod.bodhi.update.request\n')
      } else if (/^export default\b/m.test(snippet.code)) {
        // A consumer module: run by a real hub on the dev defaults, fed by a real publisher.
        await runModule(snippet, name)
        const driver = inApp(`snippets/${name}-hub.mjs`)
        writeFileSync(driver, consumerDriver(`./${name}.mjs`))
        const result = await run(process.execPath, [driver], app.env, app.dir)
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(result.stdout).toMatch(/^bodhi org\.fedoraproject\.dev\.bodhi\.update\.request /m)
      } else {
        const result = await runModule(snippet, name)
        expect(result, result.stderr).toMatchObject({ code: 0 })
        // With no configuration anywhere, a component made without one says once that it runs on the dev CA.
        const unconfigured = /create(Publisher|Hub)\(\{ name: '\w+' \}\)/.test(snippet.code)
        expect(result.stderr.match(/\[FEDMSG_DEV_DEFAULTS\]/g) ?? []).toHaveLength(
          unconfigured ? 1 : 0,
        )
      }
    },
    60_000,
  )
})

/** What identifies the shell blocks each runner below runs. */
const QUICK_START = 'npx fedmsg demo'
const CA_STEP = 'fedmsg ca '
const LOGGER = 'fedmsg logger --topic backup.complete'

/** The shell block that holds `text`; the test fails when the documents no longer have it. */
function shellBlock(text: string): DocSnippet {
  const found = shells.find((snippet) => snippet.code.includes(text))
  if (found === undefined) throw new Error(`no shell block of the docs contains ${text}`)
  return found
}

describe('shell blocks, against the installed package', () => {
  it('each has a runner below (or a skip marker with its reason)', () => {
    const runners = [QUICK_START, CA_STEP, LOGGER]
    const orphans = shells.filter((snippet) => !runners.some((text) => snippet.code.includes(text)))
    expect(orphans.map((snippet) => snippet.where)).toEqual([])
  })

  /** Runs a command that only stops on Ctrl-C: waits for `ready` on stdout, then sends SIGINT. */
  async function interrupt(command: string, cwd: string, env: NodeJS.ProcessEnv, ready: RegExp) {
    const child = spawn('bash', ['-c', command], { cwd, env, detached: true })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    const exited = once(child, 'close')
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk
        if (ready.test(stdout)) resolve()
      })
      void exited.then(() =>
        reject(new Error(`${command} ended before ${ready}:\n${stdout}${stderr}`)),
      )
    })
    process.kill(-child.pid!, 'SIGINT')
    const [code, signal] = (await exited) as [number | null, string | null]
    return { code: code ?? signal, stdout, stderr }
  }

  it.each([
    ['in the installed app', () => ({ cwd: app.dir, env: app.env })],
    ['in a clone', () => ({ cwd: REPO, env: { ...app.env, HOME: app.dir } })],
  ])(
    'README quick start, %s: the demo runs until Ctrl-C, --help lists the commands',
    async (_, where) => {
      const snippet = shellBlock(QUICK_START)
      const { cwd, env } = where()
      const [demo, help, ...rest] = commandLines(snippet.code)
      expect([demo, help, rest]).toEqual(['npx fedmsg demo', 'npx fedmsg --help', []])
      const ran = await interrupt(demo!, cwd, env, /✘ [a-z_]+ +forger sent/)
      expect(ran.stderr).toBe('')
      // The demo exits 0 after its summary; npx re-raises the SIGINT it passed on, as npm does on Ctrl-C.
      expect([0, 'SIGINT']).toContain(ran.code)
      expect(ran.stdout).toMatch(/── summary after [\d.]+ s ──/)
      const listed = await run('bash', ['-c', help!], env, cwd)
      expect(listed.code).toBe(0)
      expect(listed.stdout).toMatch(/^ {2}demo\b/m)
    },
    90_000,
  )

  it('docs/operations.md, "Certificate authority": steps 1-7 as written, in one shell', async () => {
    const steps = shells.filter((snippet) => snippet.code.includes(CA_STEP))
    const root = mkdtempSync(join(tmpdir(), 'fedmsg-ops-'))
    try {
      const script = [
        `mkdir -p ${root}/media/ca ${root}/srv`,
        ...steps.map((step) =>
          rebase(step.code, root)
            // The reader fills in the serial `ca list` shows: the key that leaked is the rotated bodhi's.
            .replace(
              '4F:A1:…',
              `"$(openssl x509 -in ${root}/srv/deploy/bodhi-2026/bodhi.crt -noout -serial | cut -d= -f2)"`,
            )
            // "move it to the issuing host (/srv/fedmsg-ca below)"
            .concat(
              step.code.includes('--out /media/ca/issuing-1')
                ? `\nmv ${root}/media/ca/issuing-1 ${root}/srv/fedmsg-ca`
                : '',
            ),
        ),
      ].join('\n')
      const env = { ...app.env, PATH: `${inApp('node_modules/.bin')}:${app.env.PATH}` }
      const ran = await run('bash', ['-euo', 'pipefail', '-c', script], env, root)
      expect(ran, ran.stderr).toMatchObject({ code: 0 })
      // Both bodhi certificates are revoked in the distributed crl.pem: superseded, then keyCompromise.
      for (const cert of ['bodhi', 'bodhi-2026']) {
        const verdict = await run(
          'openssl',
          [
            'verify',
            '-crl_check_all',
            '-CRLfile',
            'crl.pem',
            '-CAfile',
            `${root}/media/ca/root/root.crt`,
            '-untrusted',
            `${root}/srv/fedmsg-ca/ca.crt`,
            `${root}/srv/deploy/${cert}/bodhi.crt`,
          ],
          app.env,
          root,
        )
        expect(verdict.stdout + verdict.stderr, cert).toMatch(/certificate revoked/)
      }
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }, 120_000)

  it('docs/operations.md, "fedmsg logger": both commands, through a real relay', async () => {
    const snippet = shellBlock(LOGGER)
    const root = mkdtempSync(join(tmpdir(), 'fedmsg-logger-'))
    const [inbound, outbound] = [await freePort(), await freePort()]
    // What /etc/fedmsg.d holds on such a host; here the dev CA's logger and koji certificates.
    const config = join(root, 'fedmsg.json')
    writeFileSync(
      config,
      JSON.stringify({
        environment: 'dev',
        relay_inbound: `tcp://127.0.0.1:${inbound}`,
        relay_outbound: `tcp://127.0.0.1:${outbound}`,
        trust: [devCa('root-ca.crt')],
        crl: [devCa('crl.pem')],
        certs: Object.fromEntries(
          ['logger', 'koji'].map((name) => [
            name,
            { cert: devCa(`services/${name}.crt`), key: devCa(`services/${name}.key`) },
          ]),
        ),
      }),
    )
    mkdirSync(join(root, 'srv', 'backup'), { recursive: true })
    const env = {
      ...app.env,
      FEDMSG_CONFIG: config,
      PATH: `${inApp('node_modules/.bin')}:${app.env.PATH}`,
    }
    const relay = spawn('fedmsg', ['relay'], { cwd: root, env })
    try {
      let output = ''
      await new Promise<void>((resolve, reject) => {
        const seen = (chunk: Buffer) => {
          output += chunk
          if (output.includes('relay started')) resolve()
        }
        relay.stdout.on('data', seen)
        relay.stderr.on('data', seen)
        relay.once('close', () => reject(new Error(`relay ended:\n${output}`)))
      })
      const ran = await run(
        'bash',
        ['-euo', 'pipefail', '-c', rebase(snippet.code, root)],
        env,
        root,
      )
      expect(ran, ran.stderr).toMatchObject({ code: 0 })
    } finally {
      relay.kill('SIGTERM')
      await once(relay, 'close')
      rmSync(root, { recursive: true, force: true })
    }
  }, 60_000)
})
