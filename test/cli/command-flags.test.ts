/**
 * Issue 11, item 11: flag errors as a mature CLI reports them, on every command.
 * - `-V`/`--version` prints the version on every command and subcommand (exit 0).
 * - An unknown (say, misspelt) option is reported before a required one it may have been meant to be.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, REPO, runCli } from './cli-process.js'

const VERSION = (
  JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }
).version

let cwd: string
beforeAll(() => {
  assertBuilt('logger')
  cwd = mkdtempSync(join(tmpdir(), 'fedmsg-flags-'))
})
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

const COMMANDS = [
  [],
  ['hub'],
  ['relay'],
  ['logger'],
  ['tail'],
  ['demo'],
  ['config'],
  ['sign'],
  ['verify'],
  ['ca'],
  ['ca', 'init'],
  ['ca', 'issue'],
  ['ca', 'revoke'],
  ['bridge'],
  ['bridge', 'legacy'],
  ['bridge', 'to-legacy'],
  ['config', 'import-legacy'],
]

describe('-V and --version', () => {
  const runs = COMMANDS.flatMap((command) =>
    ['-V', '--version'].map((flag) => ({
      line: [...command, flag].join(' '),
      args: [...command, flag],
    })),
  )
  it.each(runs)('fedmsg $line prints the version, exit 0', async ({ args }) => {
    const run = await runCli(args, { cwd })
    expect(run).toMatchObject({ code: 0, stdout: VERSION, stderr: '' })
  })
})

describe('an unknown option is reported before a missing required one', () => {
  it.each([
    [['logger', '--tpoic', 'backup', '--message', 'done'], '--tpoic', "'--topic <topic>'"],
    [['ca', 'issue', '--dir', 'ca', '--servce', 'bodhi'], '--servce', "'--service <name>'"],
    [['sign', '--crt', 'a.crt', '--key', 'a.key', '--topic', 'a.b'], '--crt', "'--cert <file>'"],
  ])('fedmsg %j: "unknown option %s", exit 2', async (args, unknown, required) => {
    const run = await runCli(args, { cwd })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`error: unknown option '${unknown}'`)
    expect(run.stderr).not.toContain(`required option ${required} not specified`)
  })

  it('with no unknown option, a missing required one is still reported: exit 2', async () => {
    const run = await runCli(['logger', '--message', 'done'], { cwd })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("error: required option '--topic <topic>' not specified")
  })
})
