/**
 * What keeps a CA's secrets and records safe on disk: refusing to overwrite, file modes, refusing readable
 * keys, encrypted keys, and state that survives a failed write.
 */
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NODE_FS, type AtomicFs } from '../../src/ca/atomic-file.js'
import { initRootCa } from '../../src/ca/init-root-ca.js'
import { issueIntermediateCa } from '../../src/ca/issue-intermediate-ca.js'
import { issueServiceCertificate } from '../../src/ca/issue-service-certificate.js'
import { listIssued } from '../../src/ca/list-issued.js'
import { readPassphraseFile } from '../../src/crypto/keys/passphrase-file.js'
import { readPrivateKeyFile } from '../../src/crypto/keys/key-file.js'
import { makeTempDir, modeOf, openssl, tempFilesIn } from './ca-test-kit.js'

let temp: ReturnType<typeof makeTempDir>
let rootDir: string
let interDir: string
let outDir: string

beforeAll(async () => {
  temp = makeTempDir()
  rootDir = join(temp.dir, 'root')
  interDir = join(temp.dir, 'nested', 'intermediate')
  outDir = join(temp.dir, 'out', 'services')
  await initRootCa({ dir: rootDir })
  await issueIntermediateCa({ parentDir: rootDir, outDir: interDir, cn: 'Safety Issuing' })
  await issueServiceCertificate({ dir: interDir, service: 'bodhi', outDir })
})
afterAll(() => temp.remove())

/** The real file system, except that replacing `state.json` fails as on a full disk. */
const STATE_WRITE_FAILS: AtomicFs = {
  ...NODE_FS,
  renameSync: (from, to) => {
    if (String(to).endsWith('state.json')) {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
    }
    NODE_FS.renameSync(from, to)
  },
}

describe('refusing to overwrite', () => {
  it('ca init on an existing CA → ERR_FEDMSG_CA_EXISTS, and the CA is untouched', async () => {
    const before = readFileSync(join(rootDir, 'ca.key'))
    await expect(initRootCa({ dir: rootDir })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CA_EXISTS',
    })
    expect(readFileSync(join(rootDir, 'ca.key'))).toEqual(before)
  })

  it('ca intermediate into an existing CA → ERR_FEDMSG_CA_EXISTS', async () => {
    await expect(
      issueIntermediateCa({ parentDir: rootDir, outDir: interDir, cn: 'again' }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_CA_EXISTS' })
  })

  it('--force replaces the CA: new key, empty registry', async () => {
    const dir = join(temp.dir, 'forced')
    await initRootCa({ dir })
    await issueServiceCertificate({ dir, service: 'old', outDir: join(temp.dir, 'forced-out') })
    const oldKey = readFileSync(join(dir, 'ca.key'), 'utf8')
    await initRootCa({ dir, force: true })
    expect(readFileSync(join(dir, 'ca.key'), 'utf8')).not.toBe(oldKey)
    expect(listIssued(dir)).toEqual([])
    expect(readdirSync(join(dir, 'issued'))).toEqual([])
  })

  it('issue refuses to replace NAME.crt/NAME.key unless forced', async () => {
    await expect(
      issueServiceCertificate({ dir: interDir, service: 'bodhi', outDir }),
    ).rejects.toMatchObject({
      code: 'ERR_FEDMSG_USAGE',
    })
    await expect(
      issueServiceCertificate({ dir: interDir, service: 'bodhi', outDir, force: true }),
    ).resolves.toMatchObject({ service: 'bodhi' })
  })
})

describe('file modes', () => {
  it('CA keys and state are 0600, CA directories 0700 (parents created 0700 too)', () => {
    for (const dir of [rootDir, interDir, join(temp.dir, 'nested')]) expect(modeOf(dir)).toBe(0o700)
    for (const dir of [rootDir, interDir]) {
      expect(modeOf(join(dir, 'ca.key'))).toBe(0o600)
      expect(modeOf(join(dir, 'state.json'))).toBe(0o600)
      expect(modeOf(join(dir, 'issued'))).toBe(0o700)
    }
  })

  it('service keys are 0600 in an output directory created 0700', () => {
    expect(modeOf(join(outDir, 'bodhi.key'))).toBe(0o600)
    expect(modeOf(outDir)).toBe(0o700)
  })
})

describe('CA keys on disk', () => {
  it.each([0o644, 0o640, 0o604])(
    'a CA key of mode %o → ERR_FEDMSG_KEY_INSECURE, nothing issued',
    async (mode) => {
      const dir = join(temp.dir, `insecure-${mode.toString(8)}`)
      await initRootCa({ dir })
      chmodSync(join(dir, 'ca.key'), mode)
      await expect(
        issueServiceCertificate({ dir, service: 'x', outDir: join(dir, 'out') }),
      ).rejects.toMatchObject({ code: 'ERR_FEDMSG_KEY_INSECURE' })
      expect(listIssued(dir)).toEqual([])
    },
  )

  it('a CA key that is not the key of ca.crt → ERR_FEDMSG_KEY_INVALID', async () => {
    const dir = join(temp.dir, 'swapped')
    await initRootCa({ dir })
    writeFileSync(join(dir, 'ca.key'), readFileSync(join(rootDir, 'ca.key')), { mode: 0o600 })
    await expect(issueServiceCertificate({ dir, service: 'x', outDir: dir })).rejects.toMatchObject(
      {
        code: 'ERR_FEDMSG_KEY_INVALID',
      },
    )
  })

  it('a passphrase-encrypted CA key round-trips; without a passphrase → KEY_INVALID, a wrong one → KEY_PASSPHRASE', async () => {
    const dir = join(temp.dir, 'encrypted')
    await initRootCa({ dir, passphrase: 'correct horse' })
    const pem = readFileSync(join(dir, 'ca.key'), 'utf8')
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
    const decrypted = openssl(
      'pkey',
      '-in',
      join(dir, 'ca.key'),
      '-passin',
      'pass:correct horse',
      '-noout',
    )
    expect(decrypted.code).toBe(0)
    const out = join(dir, 'out')
    await expect(issueServiceCertificate({ dir, service: 'a', outDir: out })).rejects.toMatchObject(
      {
        code: 'ERR_FEDMSG_KEY_INVALID',
      },
    )
    await expect(
      issueServiceCertificate({ dir, service: 'a', outDir: out, passphrase: 'wrong' }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_KEY_PASSPHRASE' })
    await expect(
      issueServiceCertificate({ dir, service: 'a', outDir: out, passphrase: 'correct horse' }),
    ).resolves.toMatchObject({ service: 'a' })
  })

  it.each([
    ['EC P-256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], undefined],
    ['Ed25519', ['-algorithm', 'ED25519'], undefined],
    [
      'Ed25519, AES-256 encrypted',
      ['-algorithm', 'ED25519', '-aes-256-cbc', '-pass', 'pass:s3cret'],
      's3cret',
    ],
  ] as const)(
    'a PKCS#8 key from openssl genpkey (%s) is readable by readPrivateKeyFile',
    (_, args, passphrase) => {
      const file = join(temp.dir, `openssl-${_.replace(/\W+/g, '-')}.key`)
      const run = openssl('genpkey', ...args, '-out', file)
      expect(run.code).toBe(0)
      chmodSync(file, 0o600)
      expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/)
      const key = readPrivateKeyFile(file, passphrase)
      expect(key.type).toBe('private')
      chmodSync(file, 0o644)
      expect(() => readPrivateKeyFile(file, passphrase)).toThrow(
        expect.objectContaining({ code: 'ERR_FEDMSG_KEY_INSECURE' }),
      )
    },
  )

  it('a passphrase file readable by others → ERR_FEDMSG_KEY_INSECURE; its first line is the passphrase', () => {
    const file = join(temp.dir, 'pass.txt')
    writeFileSync(file, 'line one\nline two\n', { mode: 0o600 })
    expect(readPassphraseFile(file)).toBe('line one')
    chmodSync(file, 0o644)
    expect(() => readPassphraseFile(file)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_KEY_INSECURE' }),
    )
  })
})

describe('crash safety', () => {
  it('issue whose state write fails: state.json unchanged, serial not registered, no temp files, no leaf', async () => {
    const before = readFileSync(join(interDir, 'state.json'), 'utf8')
    const out = join(temp.dir, 'crash-out')
    await expect(
      issueServiceCertificate({
        dir: interDir,
        service: 'koji',
        outDir: out,
        fs: STATE_WRITE_FAILS,
      }),
    ).rejects.toThrow(/ENOSPC/)
    expect(readFileSync(join(interDir, 'state.json'), 'utf8')).toBe(before)
    expect(tempFilesIn(interDir)).toEqual([])
    expect(listIssued(interDir).map((record) => record.cn)).not.toContain('koji')
    expect(() => readdirSync(out)).toThrow(/ENOENT/)
    await expect(
      issueServiceCertificate({ dir: interDir, service: 'koji', outDir: out }),
    ).resolves.toMatchObject({ service: 'koji' })
  })

  it('init whose state write fails leaves no CA; a plain init then succeeds', async () => {
    const dir = join(temp.dir, 'crashed-init')
    await expect(initRootCa({ dir, fs: STATE_WRITE_FAILS })).rejects.toThrow(/ENOSPC/)
    expect(tempFilesIn(dir)).toEqual([])
    expect(() => listIssued(dir)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CA_NOT_FOUND' }),
    )
    await expect(initRootCa({ dir })).resolves.toMatchObject({ dir })
  })

  it('a directory without a CA → ERR_FEDMSG_CA_NOT_FOUND', async () => {
    const dir = join(temp.dir, 'empty')
    await expect(issueServiceCertificate({ dir, service: 'x', outDir: dir })).rejects.toMatchObject(
      {
        code: 'ERR_FEDMSG_CA_NOT_FOUND',
      },
    )
  })

  it('a corrupt state.json → ERR_FEDMSG_CA_NOT_FOUND, not a silently empty registry', async () => {
    const dir = join(temp.dir, 'corrupt')
    await initRootCa({ dir })
    writeFileSync(
      join(dir, 'state.json'),
      '{"format":"fedmsg-ca/1","crlNumber":0,"issued":[{"serial":',
    )
    expect(() => listIssued(dir)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CA_NOT_FOUND' }),
    )
  })
})
