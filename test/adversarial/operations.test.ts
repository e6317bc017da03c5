/**
 * Operator mistakes an attacker would love: the public dev CA trusted in production, private keys other users
 * can read, and broken configuration. Each must stop the command (exit 2, a stable code, the file and key
 * named) instead of running insecurely. Black-box through `fedmsg`, plus `loadConfig` for the library path.
 */
import { chmodSync, cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { decodePemBlocks, PEM_LABEL } from '../../src/crypto/pem.js'
import type { Pki } from '../fixtures/pki.js'
import { openAttackKit } from './attack-kit.js'
import { REPO, type Run, type Workspace } from './cli-runner.js'
import { TOPIC } from './forge-envelope.js'
import { certPem, type PkiFiles } from './pki-files.js'

const DEV = join(REPO, 'certs/dev')
const DEV_ROOT = join(DEV, 'root-ca.crt')

let pki: Pki
let workspace: Workspace
let files: PkiFiles

beforeAll(async () => {
  ;({ pki, workspace, files } = await openAttackKit('fedmsg-operations-'))
})

afterAll(() => workspace?.remove())

function expectRefused(run: Run, code: string) {
  expect(run.code).toBe(2)
  expect(run.stdout).toBe('')
  expect(run.stderr).toContain(`[${code}]`)
}

describe('the bundled dev CA trusted with environment "prod"', () => {
  const devRootDer = () =>
    decodePemBlocks(readFileSync(DEV_ROOT, 'utf8'), PEM_LABEL.certificate)[0]!
  const CASES: readonly [string, () => Record<string, unknown>][] = [
    ['trust names certs/dev/root-ca.crt', () => ({ trust: [DEV_ROOT] })],
    [
      'trust names a copy of the dev root elsewhere',
      () => ({ trust: [workspace.write('copy.crt', readFileSync(DEV_ROOT), 0o644)] }),
    ],
    [
      'trust names a bundle: our root, then the dev root',
      () => ({
        trust: [workspace.write('bundle.crt', certPem(pki.root.der, devRootDer()), 0o644)],
      }),
    ],
    [
      'trust names the dev root as DER',
      () => ({ trust: [workspace.write('dev-root.der', devRootDer(), 0o644)] }),
    ],
    [
      'trust names a symlink into certs/dev',
      () => {
        const link = workspace.path('linked-root.crt')
        if (!existsSync(link)) symlinkSync(DEV_ROOT, link)
        return { trust: [link] }
      },
    ],
    [
      'trust names a copy of the dev issuing CA (certs/dev/ca/intermediate/ca.crt) elsewhere',
      () => ({
        trust: [
          workspace.write('issuing.crt', readFileSync(join(DEV, 'ca/intermediate/ca.crt')), 0o644),
        ],
      }),
    ],
    ['crl names certs/dev/crl.pem', () => ({ trust: [files.root], crl: [join(DEV, 'crl.pem')] })],
    [
      'certs.bodhi names the dev bodhi certificate and key',
      () => ({
        trust: [files.root],
        certs: {
          bodhi: {
            cert: join(DEV, 'services/bodhi.crt'),
            key: join(DEV, 'services/bodhi.key'),
          },
        },
      }),
    ],
  ]

  const configFile = (name: string, values: Record<string, unknown>) =>
    workspace.write(name, JSON.stringify(values))
  const load = (configPath: string) =>
    loadConfig({ configPath, cwd: workspace.dir, env: { HOME: workspace.dir }, searchDirs: [] })

  it.each(CASES)('loadConfig: %s → DevCaInProd', (_name, values) => {
    const file = configFile('prod.json', { environment: 'prod', ...values() })
    expect(() => load(file)).toThrow(expect.objectContaining({ code: 'ERR_FEDMSG_DEV_CA_IN_PROD' }))
  })

  it.each(CASES)('loadConfig: %s, with environment "dev" → loads', (_name, values) => {
    const file = configFile('dev.json', { environment: 'dev', ...values() })
    expect(load(file).config.environment).toBe('dev')
  })

  it('fedmsg config: a prod config trusting the dev root → exit 2, ERR_FEDMSG_DEV_CA_IN_PROD, file named', async () => {
    const file = configFile('cli-prod.json', { environment: 'prod', trust: [DEV_ROOT] })
    const run = await workspace.fedmsg(['config', '--config', file])
    expectRefused(run, 'ERR_FEDMSG_DEV_CA_IN_PROD')
    expect(run.stderr).toContain(basename(file))
  })
})

describe('private keys other users can read', () => {
  const MODES: readonly [string, number, 'refused' | 'signs'][] = [
    ['0644 (world-readable)', 0o644, 'refused'],
    ['0640 (group-readable)', 0o640, 'refused'],
    ['0604 (others, not group)', 0o604, 'refused'],
    ['0660 (group-writable)', 0o660, 'refused'],
    ['0600', 0o600, 'signs'],
    ['0400', 0o400, 'signs'],
  ]
  const runs = new Map<number, Run>()

  // One `fedmsg sign` per mode, all at once.
  beforeAll(async () => {
    await Promise.all(
      MODES.map(async ([, mode]) => {
        const key = workspace.write(`key-${mode.toString(8)}.pem`, readFileSync(files.bodhiKey))
        chmodSync(key, mode)
        const args = ['sign', '--cert', files.bodhiCert, '--key', key, '--topic', TOPIC]
        runs.set(mode, await workspace.fedmsg(args, '{"a":1}'))
      }),
    )
  })

  it.each(MODES.filter(([, , outcome]) => outcome === 'refused'))(
    'fedmsg sign with a %s key → exit 2, ERR_FEDMSG_KEY_INSECURE',
    (_name, mode) => expectRefused(runs.get(mode)!, 'ERR_FEDMSG_KEY_INSECURE'),
  )

  it.each(MODES.filter(([, , outcome]) => outcome === 'signs'))(
    'fedmsg sign with a %s key signs',
    (_name, mode) => expect(runs.get(mode)).toMatchObject({ code: 0, stderr: '' }),
  )

  describe('a CA whose key is world-readable (a copy of the dev issuing CA)', () => {
    let ca: string
    let state: string
    beforeAll(() => {
      ca = join(workspace.dir, 'issuing-ca')
      cpSync(join(DEV, 'ca/intermediate'), ca, { recursive: true })
      chmodSync(join(ca, 'ca.key'), 0o644)
      state = readFileSync(join(ca, 'state.json'), 'utf8')
    })

    it('fedmsg ca issue → exit 2, ERR_FEDMSG_KEY_INSECURE, nothing issued', async () => {
      const out = join(workspace.dir, 'issued')
      const run = await workspace.fedmsg([
        'ca',
        'issue',
        '--dir',
        ca,
        '--service',
        'wiki',
        '--out',
        out,
      ])
      expectRefused(run, 'ERR_FEDMSG_KEY_INSECURE')
      expect(existsSync(join(out, 'wiki.crt'))).toBe(false)
      expect(readFileSync(join(ca, 'state.json'), 'utf8')).toBe(state)
    })

    it('fedmsg ca crl → exit 2, ERR_FEDMSG_KEY_INSECURE, no CRL written', async () => {
      const out = join(workspace.dir, 'new.crl')
      const run = await workspace.fedmsg(['ca', 'crl', '--dir', ca, '--out', out])
      expectRefused(run, 'ERR_FEDMSG_KEY_INSECURE')
      expect(existsSync(out)).toBe(false)
    })
  })
})

describe('configuration errors: exit 2, the file and the key named', () => {
  const CASES: readonly [string, string, string][] = [
    ['a wrong type', '{"max_age_seconds":"soon"}', 'max_age_seconds'],
    ['an unknown key', '{"max_age_secs":300}', 'max_age_secs'],
    ['an unknown environment', '{"environment":"production"}', 'environment'],
    ['a negative skew', '{"clock_skew_seconds":-1}', 'clock_skew_seconds'],
    ['a service without its key', '{"certs":{"bodhi":{"cert":"b.crt"}}}', 'certs.bodhi.key'],
    ['JSON cut short', '{"max_age_seconds":300,', 'line 1'],
  ]
  const fileOf = (name: string) => `config-${name.replace(/\W+/g, '-')}.json`
  const runs = new Map<string, Run>()

  beforeAll(async () => {
    await Promise.all(
      CASES.map(async ([name, content]) => {
        const file = workspace.write(fileOf(name), content)
        runs.set(name, await workspace.fedmsg(['config', '--config', file]))
      }),
    )
  })

  it.each(CASES)('%s', (name, _content, key) => {
    const run = runs.get(name)!
    expectRefused(run, 'ERR_FEDMSG_CONFIG_INVALID')
    expect(run.stderr).toContain(fileOf(name))
    expect(run.stderr).toContain(key)
  })
})

describe('fedmsg verify refuses to run on unusable trust material (exit 2, never "trust nothing")', () => {
  it.each([
    ['a service leaf as --ca', () => files.bodhiCert, 'ERR_FEDMSG_CERT_INVALID'],
    ['an empty --ca file', () => workspace.write('empty.crt', ''), 'ERR_FEDMSG_CERT_INVALID'],
    ['a private key as --ca', () => files.bodhiKey, 'ERR_FEDMSG_CERT_INVALID'],
  ])('%s → exit 2', async (_name, anchor, code) => {
    const run = await workspace.fedmsg(['verify', '--ca', anchor()], '{}')
    expectRefused(run, code)
  })

  it('a --crl file holding garbage in a CRL block → exit 2, ERR_FEDMSG_CRL_INVALID', async () => {
    const crl = workspace.write(
      'garbage.crl',
      '-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n',
    )
    expectRefused(
      await workspace.fedmsg(['verify', '--ca', files.root, '--crl', crl], '{}'),
      'ERR_FEDMSG_CRL_INVALID',
    )
  })
})
