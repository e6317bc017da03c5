/** `fedmsg ca …` through the real CLI (node bin/fedmsg.js), one process per command. */
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fedmsg, fedmsgJson, makeTempDir, modeOf, openssl, tempFilesIn } from '../ca/ca-test-kit.js'

interface IssuedJson {
  service: string
  serial: string
  certificateFile: string
  privateKeyFile: string
}

const DAY = 86_400_000
let temp: ReturnType<typeof makeTempDir>
let root: string
let inter: string

beforeAll(async () => {
  temp = makeTempDir('fedmsg-ca-cli-')
  root = join(temp.dir, 'root')
  inter = join(temp.dir, 'intermediate')
  await fedmsgJson(['ca', 'init', '--dir', root, '--cn', 'CLI Root'])
  await fedmsgJson(['ca', 'intermediate', '--dir', root, '--out', inter, '--cn', 'CLI Issuing'])
})
afterAll(() => temp.remove())

function expectFailure(run: { code: number | null; stderr: string }, code?: string) {
  expect(run.code).toBe(2)
  if (code !== undefined) expect(run.stderr).toContain(`[${code}]`)
}

describe('fedmsg ca init', () => {
  it('prints where it wrote the certificate, the key and the trust anchor', async () => {
    const dir = join(temp.dir, 'printed')
    const run = await fedmsg(['ca', 'init', '--dir', dir, '--alg', 'ed25519', '--cn', 'Printed'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('created root CA CN=Printed (ed25519')
    expect(run.stdout).toContain(join(dir, 'ca.crt'))
    expect(run.stdout).toContain(`${join(dir, 'ca.key')} (mode 0600)`)
    expect(run.stdout).toContain(join(dir, 'root.crt'))
  })

  it('refuses an existing CA with exit 2 and ERR_FEDMSG_CA_EXISTS; --force replaces it', async () => {
    const dir = join(temp.dir, 'twice')
    await fedmsgJson(['ca', 'init', '--dir', dir])
    const key = readFileSync(join(dir, 'ca.key'), 'utf8')
    expectFailure(await fedmsg(['ca', 'init', '--dir', dir]), 'ERR_FEDMSG_CA_EXISTS')
    expect(readFileSync(join(dir, 'ca.key'), 'utf8')).toBe(key)
    expect((await fedmsg(['ca', 'init', '--dir', dir, '--force'])).code).toBe(0)
    expect(readFileSync(join(dir, 'ca.key'), 'utf8')).not.toBe(key)
  })

  it('--passphrase-file encrypts the CA key; issue needs the same file', async () => {
    const dir = join(temp.dir, 'encrypted')
    const pass = join(temp.dir, 'ca.pass')
    writeFileSync(pass, 'tr0ub4dor\n', { mode: 0o600 })
    const summary = await fedmsgJson(['ca', 'init', '--dir', dir, '--passphrase-file', pass])
    expect(summary.encrypted).toBe(true)
    const issue = ['ca', 'issue', '--dir', dir, '--service', 'wiki', '--out', join(dir, 'out')]
    expectFailure(await fedmsg(issue), 'ERR_FEDMSG_KEY_INVALID')
    expect((await fedmsg([...issue, '--passphrase-file', pass])).code).toBe(0)
  })

  it.each([
    ['--alg dsa', ['--alg', 'dsa']],
    ['--days 0', ['--days', '0']],
    ['--days abc', ['--days', 'abc']],
    ['--not-before yesterday', ['--not-before', 'yesterday']],
  ])('%s → usage error, exit 2, no CA', async (_, flags) => {
    const dir = join(temp.dir, `bad-${_.replace(/\W+/g, '-')}`)
    expectFailure(await fedmsg(['ca', 'init', '--dir', dir, ...flags]))
    expect(existsSync(join(dir, 'state.json'))).toBe(false)
  })
})

describe('fedmsg ca issue', () => {
  it('prints where it wrote NAME.crt (leaf + chain) and NAME.key (0600)', async () => {
    const out = join(temp.dir, 'printed-out')
    const run = await fedmsg(['ca', 'issue', '--dir', inter, '--service', 'bodhi', '--out', out])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^issued bodhi \(es256, serial [0-9a-f]{32}, not after /)
    expect(run.stdout).toContain(`${join(out, 'bodhi.crt')} (leaf + 1 CA certificate)`)
    expect(run.stdout).toContain(`${join(out, 'bodhi.key')} (mode 0600)`)
    expect(modeOf(join(out, 'bodhi.key'))).toBe(0o600)
  })

  it('a world-readable CA key → exit 2, ERR_FEDMSG_KEY_INSECURE', async () => {
    const dir = join(temp.dir, 'loose')
    await fedmsgJson(['ca', 'init', '--dir', dir])
    chmodSync(join(dir, 'ca.key'), 0o644)
    const run = await fedmsg(['ca', 'issue', '--dir', dir, '--service', 'x', '--out', dir])
    expectFailure(run, 'ERR_FEDMSG_KEY_INSECURE')
    expect(run.stderr).toContain('chmod 600')
  })

  it('a directory without a CA → exit 2, ERR_FEDMSG_CA_NOT_FOUND', async () => {
    const run = await fedmsg(['ca', 'issue', '--dir', join(temp.dir, 'nothing'), '--service', 'x'])
    expectFailure(run, 'ERR_FEDMSG_CA_NOT_FOUND')
  })

  it('8 concurrent issue processes on one CA get 8 distinct serials, all registered once', async () => {
    const dir = join(temp.dir, 'concurrent')
    const out = join(temp.dir, 'concurrent-out')
    await fedmsgJson(['ca', 'init', '--dir', dir])
    const names = Array.from({ length: 8 }, (_, i) => `svc${i}`)
    const issued = await Promise.all(
      names.map((name) =>
        fedmsgJson<IssuedJson>(['ca', 'issue', '--dir', dir, '--service', name, '--out', out]),
      ),
    )
    const serials = issued.map((entry) => entry.serial)
    expect(new Set(serials).size).toBe(8)
    for (const entry of issued) {
      const printed = openssl('x509', '-in', entry.certificateFile, '-noout', '-serial').stdout
      expect(printed.trim().toLowerCase()).toBe(`serial=${entry.serial}`)
    }
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      issued: { serial: string; cn: string }[]
    }
    expect(state.issued.map((record) => record.serial).sort()).toEqual([...serials].sort())
    expect(state.issued.map((record) => record.cn).sort()).toEqual(names)
    expect(readdirSync(join(dir, 'issued')).sort()).toEqual(serials.map((s) => `${s}.crt`).sort())
    expect(readdirSync(dir).filter((name) => name.includes('lock'))).toEqual([])
    expect(tempFilesIn(dir)).toEqual([])
  })
})

describe('fedmsg ca revoke, crl and list', () => {
  let revokedSerial: string
  let keptSerial: string
  const out = () => join(temp.dir, 'rl-out')

  beforeAll(async () => {
    const a = await fedmsgJson<IssuedJson>([
      'ca',
      'issue',
      '--dir',
      inter,
      '--service',
      'koji',
      '--out',
      out(),
    ])
    const b = await fedmsgJson<IssuedJson>([
      'ca',
      'issue',
      '--dir',
      inter,
      '--service',
      'fas',
      '--out',
      out(),
    ])
    revokedSerial = a.serial
    keptSerial = b.serial
    const run = await fedmsg([
      'ca',
      'revoke',
      '--dir',
      inter,
      '--cert',
      a.certificateFile,
      '--reason',
      'keyCompromise',
    ])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`revoked: koji serial ${revokedSerial} (keyCompromise`)
  })

  it('--cert and --serial together, or an unknown --reason → exit 2', async () => {
    const both = [
      'ca',
      'revoke',
      '--dir',
      inter,
      '--serial',
      keptSerial,
      '--cert',
      join(out(), 'fas.crt'),
    ]
    expectFailure(await fedmsg(both))
    expectFailure(
      await fedmsg(['ca', 'revoke', '--dir', inter, '--serial', keptSerial, '--reason', 'bored']),
    )
    expectFailure(await fedmsg(['ca', 'revoke', '--dir', inter]), 'ERR_FEDMSG_USAGE')
  })

  it('crl numbers strictly increase and the CRL lists the revoked serial', async () => {
    const file = join(temp.dir, 'cli.crl')
    const first = await fedmsgJson<{ crlNumber: number }>([
      'ca',
      'crl',
      '--dir',
      inter,
      '--out',
      file,
    ])
    const second = await fedmsgJson<{ crlNumber: number; revokedCount: number }>([
      'ca',
      'crl',
      '--dir',
      inter,
      '--out',
      file,
      '--days',
      '7',
    ])
    expect(second.crlNumber).toBe(first.crlNumber + 1)
    expect(second.revokedCount).toBe(1)
    const text = openssl('crl', '-in', file, '-noout', '-text').stdout
    expect(text).toContain(`Serial Number: ${revokedSerial.toUpperCase()}`)
    expect(text).not.toContain(keptSerial.toUpperCase())
    const verified = openssl(
      'crl',
      '-in',
      file,
      '-verify',
      '-CAfile',
      join(inter, 'ca.crt'),
      '-noout',
    )
    expect(verified.stderr + verified.stdout).toContain('verify OK')
  })

  it('list prints a table: serial, CN, kind, alg, not after, status', async () => {
    const run = await fedmsg(['ca', 'list', '--dir', inter])
    expect(run.code).toBe(0)
    const [header, ...rows] = run.stdout.trimEnd().split('\n')
    expect(header?.split(/\s{2,}/)).toEqual(['SERIAL', 'CN', 'KIND', 'ALG', 'NOT AFTER', 'STATUS'])
    const row = (serial: string) => rows.find((line) => line.startsWith(serial))?.split(/\s{2,}/)
    expect(row(revokedSerial)).toEqual([
      revokedSerial,
      'koji',
      'service',
      'es256',
      expect.stringMatching(/^\d{4}-/),
      'revoked (keyCompromise)',
    ])
    expect(row(keptSerial)?.[5]).toBe('valid')
  })

  it('list --json gives the registry entries', async () => {
    const records = await fedmsgJson<{ serial: string; revoked?: { reason: string } }[]>([
      'ca',
      'list',
      '--dir',
      inter,
    ])
    expect(records.find((r) => r.serial === revokedSerial)?.revoked?.reason).toBe('keyCompromise')
    expect(records.find((r) => r.serial === keptSerial)?.revoked).toBeUndefined()
  })

  it('--not-before back-dates: list reports expired and not-yet-valid certificates', async () => {
    const past = new Date(Date.now() - 10 * DAY).toISOString()
    const future = new Date(Date.now() + 2 * DAY).toISOString()
    const old = await fedmsgJson<IssuedJson>([
      'ca',
      'issue',
      '--dir',
      inter,
      '--service',
      'old',
      '--out',
      out(),
      '--days',
      '1',
      '--not-before',
      past,
    ])
    const early = await fedmsgJson<IssuedJson>([
      'ca',
      'issue',
      '--dir',
      inter,
      '--service',
      'early',
      '--out',
      out(),
      '--not-before',
      future,
    ])
    const listing = (await fedmsg(['ca', 'list', '--dir', inter])).stdout
    expect(listing).toMatch(new RegExp(`${old.serial} .* expired\\n`))
    expect(listing).toMatch(new RegExp(`${early.serial} .* not yet valid\\n`))
  })
})
