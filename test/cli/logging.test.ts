/**
 * Issue 11 item 8: where the bus commands log, in which format, and the dev-defaults notice.
 *   stdout: the command's output only (tail's messages, the demo's display)
 *   stderr: the log (pino-pretty on a terminal, JSON lines otherwise) and status lines
 * Every command that falls back on the dev defaults (no config file anywhere) says so once, as a warn line
 * of its log, on stderr.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chooseLogFormat } from '../../src/cli/logging.js'
import { freePort } from '../fixtures/free-port.js'
import { assertBuilt, cliChildren, REPO, runCli } from './cli-process.js'

let empty: string
const children = cliChildren(() => empty)
beforeAll(() => {
  for (const command of ['hub', 'relay', 'tail', 'logger']) assertBuilt(command)
  // No config file here, and HOME is here too: the commands run on the dev defaults.
  empty = mkdtempSync(join(tmpdir(), 'fedmsg-logging-'))
})
afterEach(children.stopAll)
afterAll(() => rmSync(empty, { recursive: true, force: true }))

/** Resolves once `url` answers 200: the server may not listen yet, so a refused connection is retried. */
async function untilHealthy(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (
    (await fetch(url).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline) throw new Error(`${url} not healthy within ${timeoutMs} ms`)
    await delay(50)
  }
}

const tcp = async () => `tcp://127.0.0.1:${await freePort()}`
const jsonLines = (lines: readonly string[]) =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>)
const isNotice = (line: Record<string, unknown>) =>
  line.level === 40 && String(line.msg).startsWith('no config file found')

describe('chooseLogFormat', () => {
  it.each([
    { isTTY: true, format: 'pretty' },
    { isTTY: false, format: 'json' },
    { isTTY: undefined, format: 'json' },
  ])('a stream with isTTY $isTTY → $format', ({ isTTY, format }) => {
    expect(chooseLogFormat(isTTY === undefined ? {} : { isTTY })).toBe(format)
  })
})

describe('long-running commands on the dev defaults, stderr not a terminal', () => {
  it.each([
    { command: 'hub', args: async () => [] as string[], ready: '"hub started"' },
    {
      command: 'relay',
      args: async () => ['--inbound', await tcp(), '--outbound', await tcp()],
      ready: '"relay started"',
    },
  ])(
    'fedmsg $command: the notice and every log line are JSON on stderr, stdout stays empty',
    async ({ command, args, ready }) => {
      const child = children.start([command, ...(await args())])
      await child.line('stderr', (line) => line.includes(ready))
      const log = jsonLines(child.stderr)
      expect(log.filter(isNotice)).toEqual([
        expect.objectContaining({ name: `fedmsg-${command}`, devCa: expect.any(String) }),
      ])
      child.child.kill('SIGTERM')
      expect(await child.exited).toBe(0)
      expect(child.stdout).toEqual([])
    },
  )

  it('fedmsg tail: the notice as JSON on stderr; stdout is for messages only', async () => {
    const tail = children.start(['tail', '--connect', await tcp()])
    await tail.line('stderr', (line) => line.includes('no config file found'))
    expect(jsonLines(tail.stderr).filter(isNotice)).toEqual([
      expect.objectContaining({ name: 'fedmsg-tail', devCa: expect.any(String) }),
    ])
    expect(tail.stdout).toEqual([])
  })

  it('fedmsg logger: the notice as JSON on stderr, then its error line; --log-level error hides it', async () => {
    const run = await runCli(['logger', '--topic', 'x', '--message', 'm', '--timeout', '0.3'], {
      cwd: empty,
    })
    expect(run.code).toBe(1)
    const [notice, ...rest] = run.stderr.split('\n')
    expect(isNotice(JSON.parse(notice!))).toBe(true)
    expect(rest.join('\n')).toContain('[ERR_FEDMSG_RELAY_TIMEOUT]')
    expect(run.stdout).toBe('')
    const quiet = await runCli(
      ['logger', '--topic', 'x', '--message', 'm', '--timeout', '0.3', '--log-level', 'error'],
      { cwd: empty },
    )
    expect(quiet.code).toBe(1)
    expect(quiet.stderr).not.toContain('no config file found')
  })

  it('fedmsg demo --log-level warn: the hub logs each rejection on stderr; the display stays on stdout', async () => {
    const run = await runCli(['demo', '--duration', '3', '--log-level', 'warn'], { cwd: empty })
    expect(run.code).toBe(0)
    const log = jsonLines(run.stderr.split('\n'))
    expect(log).toContainEqual(
      expect.objectContaining({ name: 'fedmsg-demo', component: 'hub', msg: 'message rejected' }),
    )
    expect(run.stdout).toContain('BUNDLED DEV CA')
    expect(run.stdout).not.toContain('"level"')
  })

  it('an unknown --log-level is a usage error: exit 2, the allowed levels listed', async () => {
    const run = await runCli(['hub', '--log-level', 'loud'], { cwd: empty })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Allowed choices are trace, debug, info, warn, error, silent')
  })

  it('--log-level warn drops the info lines of a relay: only the notice is logged', async () => {
    const metrics = `127.0.0.1:${await freePort()}`
    const relay = children.start(
      ['relay', '--inbound', await tcp(), '--outbound', await tcp()].concat([
        '--metrics',
        metrics,
        '--log-level',
        'warn',
      ]),
    )
    // /healthz answers once the relay runs, its signal handlers included.
    await relay.line('stderr', (line) => line.includes('no config file found'))
    await untilHealthy(`http://${metrics}/healthz`)
    relay.child.kill('SIGTERM')
    expect(await relay.exited).toBe(0)
    expect(jsonLines(relay.stderr).map((line) => [line.level, line.name])).toEqual([
      [40, 'fedmsg-relay'],
    ])
  })
})

describe('a terminal on stderr (script(1) gives the command a pseudo-terminal)', () => {
  it('fedmsg logger logs the notice human-readable, not as JSON', async () => {
    // stdout goes to /dev/null inside the terminal, so what script(1) records is stderr alone.
    const command = `${process.execPath} ${join(REPO, 'bin/fedmsg.js')} logger --topic x --message m --timeout 0.3 >/dev/null`
    const run = await promisify(execFile)('script', ['-qec', command, '/dev/null'], {
      cwd: empty,
      env: { PATH: process.env.PATH ?? '', HOME: empty, TERM: 'dumb' },
    }).catch((failed: { code: number; stdout: string }) => failed)
    const text = run.stdout.replace(/\r/g, '')
    expect(text).toMatch(/^\[[\d:.]+\] WARN \(fedmsg-logger\): no config file found/m)
    expect(text).not.toContain('{"level"')
    expect(text).toContain('[ERR_FEDMSG_RELAY_TIMEOUT]')
  })
})
