/**
 * Which configuration the commands run on, over the real CLI (issue 19 items 1, 5 and 9; issue 11 item 7):
 * a named configuration that yields no file never falls back to the dev defaults, the dev defaults apply only
 * when nothing was named or found and `fedmsg config` shows them, and a hostile file ends in a typed error
 * (exit 2) that neither leaks a secret key nor shows a stack trace.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeConfigTree, type ConfigTree } from '../config/config-tree.js'
import { assertBuilt, REPO, startCli, type CliOptions } from './cli-process.js'

const DEV_CA = resolve(REPO, 'certs/dev')
/** No message mentions the dev defaults unless they are in use. */
const DEV_DEFAULTS = /dev defaults/

beforeAll(() => {
  for (const command of ['config', 'hub', 'relay', 'tail', 'logger']) assertBuilt(command)
})

let tree: ConfigTree
beforeEach(() => {
  tree = makeConfigTree()
})
afterEach(() => tree.remove())

/**
 * Runs `fedmsg ARGS` in the tree and returns how it ended. A command that fails open runs on instead of
 * exiting: it is killed after `deadlineMs` and the test sees `SIGKILL`.
 */
async function run(args: string[], env: CliOptions['env'] = {}, deadlineMs = 20_000) {
  const cli = startCli(args, { cwd: tree.root, env })
  const deadline = setTimeout(() => void cli.kill(), deadlineMs)
  const code = await cli.exited
  clearTimeout(deadline)
  return { code, stdout: cli.stdout.join('\n'), stderr: cli.stderr.join('\n') }
}

/** A stack trace's frames, as Node prints an uncaught error. */
const STACK_FRAME = /^\s+at /m

describe('issue 19.1: a named configuration that yields no file is an error, never the dev defaults', () => {
  const cases: {
    name: string
    args: string[]
    env: Record<string, string>
    make: () => unknown
    code: string
    says: string
  }[] = [
    {
      name: 'hub --config DIR holding a broken symlink',
      args: ['hub', '--config', 'named'],
      env: {},
      make: () => symlinkSync(tree.path('gone.json'), tree.path('named/10-bus.json')),
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      says: 'broken symlink',
    },
    {
      name: 'relay with $FEDMSG_CONFIG=DIR holding 20-env.JSON',
      args: ['relay'],
      env: { FEDMSG_CONFIG: 'named' },
      make: () => tree.write('named/20-env.JSON', { environment: 'prod' }),
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      says: 'lower-case .json',
    },
    {
      name: 'tail --config DIR holding a directory named x.json',
      args: ['tail', '--config', 'named'],
      env: {},
      make: () => mkdirSync(tree.path('named/x.json')),
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      says: 'not a regular file',
    },
    {
      name: 'logger with $FEDMSG_CONFIG=DIR holding only a hidden file and a README',
      args: ['logger', '--topic', 't', '--message', 'm'],
      env: { FEDMSG_CONFIG: 'named' },
      make: () => {
        tree.write('named/.10-bus.json', {})
        tree.write('named/README', 'see /srv/bus')
      },
      code: 'ERR_FEDMSG_CONFIG_NOT_FOUND',
      says: '.10-bus.json (hidden), README (not named *.json)',
    },
    {
      name: 'config --config DIR holding a broken symlink',
      args: ['config', '--config', 'named'],
      env: {},
      make: () => symlinkSync(tree.path('gone.json'), tree.path('named/10-bus.json')),
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      says: 'broken symlink',
    },
  ]

  it.each(cases)('$name → exit 2, $code', async ({ args, env, make, code, says }) => {
    mkdirSync(tree.path('named'))
    make()
    const result = await run(args, env)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(says)
    expect(result.stderr).toContain(`[${code}]`)
    expect(`${result.stdout}\n${result.stderr}`).not.toMatch(DEV_DEFAULTS)
  })

  it('a broken symlink in ./fedmsg.d stops a command even when other files are fine', async () => {
    tree.write('fedmsg.d/10-bus.json', { log_level: 'warn' })
    symlinkSync(tree.path('gone.json'), tree.path('fedmsg.d/20-env.json'))
    const result = await run(['config'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('20-env.json: broken symlink')
  })
})

describe('issue 11.7: one rule for the dev defaults, and `fedmsg config` shows what the commands use', () => {
  it('with no config file, `fedmsg config` shows the dev defaults, marked as such', async () => {
    const json = await run(['config', '--json'])
    expect(json.code).toBe(0)
    const { config, sources } = JSON.parse(json.stdout)
    expect(config.trust).toEqual([`${DEV_CA}/root-ca.crt`])
    expect(config.relay_inbound).toBe('tcp://127.0.0.1:2003')
    expect(config.certs.logger.key).toBe(`${DEV_CA}/services/logger.key`)
    expect(sources.trust).toBe('dev-defaults')
    expect(json.stderr).toMatch(/no config file found: these are the dev defaults/)

    const listing = await run(['config'])
    expect(listing.stdout).toMatch(/^trust = \[".*root-ca\.crt"\] +# dev default \(no config/m)
  })

  it('a file with only consumers replaces the dev defaults whole, and the hub says so', async () => {
    tree.write('fedmsg.d/10-consumers.json', { consumers: [{ module: 'c.mjs', topic: '>' }] })
    const shown = await run(['config', '--key', 'trust'])
    expect(shown).toMatchObject({ code: 0, stdout: '[]', stderr: '' })

    const hub = await run(['hub'])
    expect(hub.code).toBe(2)
    expect(hub.stderr).toContain('no trust anchors')
    expect(hub.stderr).toContain('the dev defaults apply only when no config file exists')
    expect(hub.stderr).toContain('[ERR_FEDMSG_CONFIG_INVALID]')
  })
})

describe('issue 19.5: an invalid secret key is never echoed', () => {
  // One character off: `~` is not in the Z85 alphabet.
  const secret = 'JTKVSBx.Ss)Ufr5Xz@sLq!9nMwKd0zRi+v3HoYm~'
  const publicKey = 'rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7'

  it.each(['config', 'hub'])('fedmsg %s: exit 2, the key named, its value not', async (command) => {
    tree.write('bad-curve.json', {
      curve: { server: { public_key: publicKey, secret_key: secret } },
    })
    const result = await run([command, '--config', 'bad-curve.json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('curve.server.secret_key')
    expect(result.stderr).toContain('[ERR_FEDMSG_CONFIG_INVALID]')
    // Not even a piece of it: the issue saw the first 57 characters of a value quoted.
    for (let at = 0; at + 6 <= secret.length; at++) {
      expect(result.stderr).not.toContain(secret.slice(at, at + 6))
    }
  })
})

describe('issue 19.9: a config nested a million levels deep is ConfigInvalid, exit 2, no stack trace', () => {
  const depth = 1_000_000
  const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`

  it.each([
    ['a deep value of max_age_seconds', 'config', `{"max_age_seconds": ${deepArray}}`],
    ['a deep document', 'hub', deepArray],
    [
      'a deep consumer topic',
      'relay',
      `{"consumers": [{"module": "c.mjs", "topic": ${deepArray}}]}`,
    ],
  ])('%s (fedmsg %s)', async (_, command, text) => {
    writeFileSync(tree.path('deep.json'), text)
    const result = await run([command, '--config', 'deep.json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('[ERR_FEDMSG_CONFIG_INVALID]')
    expect(result.stderr).not.toMatch(STACK_FRAME)
    expect(result.stderr).not.toContain('RangeError')
  })
})
