/**
 * Black-box tests of `fedmsg config`: spawn `node bin/fedmsg.js config` (which runs dist/, so build first:
 * `npx tsc -p tsconfig.build.json`) in a temp working directory with a temp HOME and no $FEDMSG_CONFIG.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeConfigTree, type ConfigTree } from '../config/config-tree.js'

const REPO = resolve(import.meta.dirname, '../..')
const BIN = resolve(REPO, 'bin/fedmsg.js')

beforeAll(() => {
  if (!existsSync(resolve(REPO, 'dist/cli/commands/config.js'))) {
    throw new Error('dist/ is missing the config command: run npx tsc -p tsconfig.build.json first')
  }
})

let tree: ConfigTree
beforeEach(() => {
  tree = makeConfigTree()
  tree.write('fedmsg.d/10-bus.json', {
    max_age_seconds: 600,
    endpoints: { bodhi: ['tcp://127.0.0.1:3001'] },
    schemas: { 'org.fedoraproject.bodhi.>': 'schemas/bodhi.json' },
  })
  tree.write('fedmsg.d/20-local.json', { log_level: 'debug' })
})
afterEach(() => tree.remove())

function fedmsgConfig(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, 'config', ...args], {
    cwd: tree.root,
    env: { PATH: process.env.PATH ?? '', HOME: tree.path('home'), ...env },
    encoding: 'utf8',
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('fedmsg config', () => {
  it('lists every value with the file it came from', () => {
    const { code, stdout } = fedmsgConfig([])
    expect(code).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toContainEqual(
      expect.stringMatching(/^max_age_seconds = 600 +# from fedmsg\.d\/10-bus\.json$/),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(/^log_level = "debug" +# from fedmsg\.d\/20-local\.json$/),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^endpoints\.bodhi = \["tcp:\/\/127\.0\.0\.1:3001"\] +# from fedmsg\.d\/10-bus\.json$/,
      ),
    )
    expect(lines).toContainEqual(expect.stringMatching(/^hwm_mode = "wait" +# default$/))
    expect(lines).toContainEqual(
      `schemas["org.fedoraproject.bodhi.>"] = "${tree.path('fedmsg.d/schemas/bodhi.json')}"    # from fedmsg.d/10-bus.json`,
    )
  })

  it('--json prints {config, sources} with absolute file paths', () => {
    const { code, stdout } = fedmsgConfig(['--json'])
    expect(code).toBe(0)
    const { config, sources } = JSON.parse(stdout)
    expect(config.max_age_seconds).toBe(600)
    expect(config.schemas['org.fedoraproject.bodhi.>']).toBe(
      tree.path('fedmsg.d/schemas/bodhi.json'),
    )
    expect(sources.max_age_seconds).toBe(tree.path('fedmsg.d/10-bus.json'))
    expect(sources.hwm_mode).toBe('default')
  })

  it('--key prints one value: a string as is, anything else as JSON', () => {
    expect(fedmsgConfig(['--key', 'log_level'])).toEqual({ code: 0, stdout: 'debug\n', stderr: '' })
    expect(fedmsgConfig(['--key', 'max_age_seconds']).stdout).toBe('600\n')
    const bodhi = fedmsgConfig(['--key', 'endpoints.bodhi'])
    expect(JSON.parse(bodhi.stdout)).toEqual(['tcp://127.0.0.1:3001'])
  })

  it('--key with --json prints the value as JSON, a string quoted', () => {
    expect(fedmsgConfig(['--key', 'log_level', '--json']).stdout).toBe('"debug"\n')
  })

  it('--key of an absent value exits 1', () => {
    const { code, stdout, stderr } = fedmsgConfig(['--key', 'endpoints.koji'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/endpoints\.koji/)
  })

  it('$FEDMSG_CONFIG overrides ./fedmsg.d, and --config overrides $FEDMSG_CONFIG', () => {
    tree.write('env.json', { max_age_seconds: 700, linger_ms: 1 })
    tree.write('flag.json', { max_age_seconds: 800 })
    const env = { FEDMSG_CONFIG: tree.path('env.json') }
    expect(fedmsgConfig(['--key', 'max_age_seconds'], env).stdout).toBe('700\n')
    const both = fedmsgConfig(['--json', '--config', 'flag.json'], env)
    const { config, sources } = JSON.parse(both.stdout)
    expect([config.max_age_seconds, config.linger_ms]).toEqual([800, 1])
    expect(sources.max_age_seconds).toBe(tree.path('flag.json'))
  })

  it('$HOME/.config/fedmsg.d is read before ./fedmsg.d', () => {
    tree.write('home/.config/fedmsg.d/10.json', { max_age_seconds: 1, clock_skew_seconds: 5 })
    const { config } = JSON.parse(fedmsgConfig(['--json']).stdout)
    expect([config.max_age_seconds, config.clock_skew_seconds]).toEqual([600, 5])
  })

  it('an invalid config exits 2 and names file, key and code', () => {
    tree.write('fedmsg.d/30-bad.json', { max_age_seconds: '300' })
    const { code, stdout, stderr } = fedmsgConfig([])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'fedmsg: fedmsg.d/30-bad.json: max_age_seconds: must be integer >= 1 (got "300") [ERR_FEDMSG_CONFIG_INVALID]\n',
    )
  })

  it('invalid JSON exits 2 with line and column', () => {
    tree.write('fedmsg.d/30-bad.json', '{\n  "max_age_seconds": 300,\n}\n')
    const { code, stderr } = fedmsgConfig(['--key', 'max_age_seconds'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/^fedmsg: fedmsg\.d\/30-bad\.json: invalid JSON at line 3 column 1: /)
  })

  it('a missing --config path exits 2 with ERR_FEDMSG_CONFIG_NOT_FOUND', () => {
    const { code, stderr } = fedmsgConfig(['--config', 'missing.json'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/\[ERR_FEDMSG_CONFIG_NOT_FOUND\]\n$/)
  })

  // Security review: the listing, once pasted into a ticket, handed out the bus's CURVE secret keys.
  it('never prints a CURVE secret key, in the listing, --json or --key curve; --key naming it prints it', () => {
    const secret = 'S'.repeat(40)
    const pub = 'P'.repeat(40)
    tree.write('fedmsg.d/30-curve.json', {
      curve: {
        server: { public_key: pub, secret_key: secret },
        client: { public_key: pub, secret_key: secret, server_key: pub },
      },
    })
    for (const args of [[], ['--json'], ['--key', 'curve'], ['--key', 'curve.server']]) {
      const { code, stdout } = fedmsgConfig(args)
      expect(code).toBe(0)
      expect(stdout).toContain(pub)
      expect(stdout).not.toContain(secret)
      expect(stdout).toContain('(not shown)')
    }
    const asked = fedmsgConfig(['--key', 'curve.server.secret_key'])
    expect(asked.stdout).toBe(`${secret}\n`)
  })

  it('prod with a certificate from the bundled dev CA exits 2 with ERR_FEDMSG_DEV_CA_IN_PROD', () => {
    const services = resolve(REPO, 'certs/dev/services')
    tree.write('prod.json', {
      environment: 'prod',
      certs: { bodhi: { cert: `${services}/bodhi.crt`, key: `${services}/bodhi.key` } },
    })
    const { code, stderr } = fedmsgConfig(['--config', 'prod.json'])
    expect(code).toBe(2)
    expect(stderr).toMatch(
      /certs\.bodhi\.cert \(set in prod\.json\).*\[ERR_FEDMSG_DEV_CA_IN_PROD\]\n$/,
    )
  })
})
