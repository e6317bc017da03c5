/**
 * docs/operations.md, "Certificate authority", step by step through the real CLI. Each `it` is one step of
 * the document, in its order, and checks the outcome with openssl and with the bus's own ChainValidator.
 *
 *   root (offline, encrypted key) ──signs──> issuing CA (path length 0) ──signs──> bodhi, bodhi', koji
 *   root.crl + issuing.crl ──cat──> crl.pem ──> every verifier's `crl`
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChainValidator } from '../../src/crypto/chain/chain-validator.js'
import { decodePemBlocks, PEM_LABEL } from '../../src/crypto/pem.js'
import { Rejection } from '../../src/errors.js'
import { certificateText, fedmsg, fedmsgJson, makeTempDir, modeOf, openssl } from './ca-test-kit.js'

interface IssuedJson {
  serial: string
  certificateFile: string
}

let temp: ReturnType<typeof makeTempDir>
/** Paths of the walkthrough: the offline medium, the issuing host, the service hosts, the CRL site. */
let offline: string
let rootDir: string
let passFile: string
let issuingDir: string
let crlBundle: string
let bodhiOld: IssuedJson
let bodhiNew: IssuedJson
let koji: IssuedJson

beforeAll(() => {
  temp = makeTempDir('fedmsg-ops-')
  offline = join(temp.dir, 'offline')
  rootDir = join(offline, 'root')
  passFile = join(temp.dir, 'root.pass')
  issuingDir = join(temp.dir, 'issuing')
  crlBundle = join(temp.dir, 'www', 'crl.pem')
  writeFileSync(passFile, 'a long root passphrase\n', { mode: 0o600 })
})
afterAll(() => temp.remove())

async function run(args: string[]): Promise<string> {
  const result = await fedmsg(args)
  if (result.code !== 0) throw new Error(`fedmsg ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

function pemCertificates(file: string): Uint8Array[] {
  return decodePemBlocks(readFileSync(file, 'utf8'), PEM_LABEL.certificate)
}

/** A verifier as the bus configures it: the root as anchor, the distributed CRLs, revocation required. */
function busValidator(): ChainValidator {
  return new ChainValidator({
    trustAnchors: pemCertificates(join(rootDir, 'root.crt')),
    crls: decodePemBlocks(readFileSync(crlBundle, 'utf8'), PEM_LABEL.crl),
    requireCrls: true,
  })
}

/** The reason ChainValidator gives for the x5c in a service's NAME.crt, or 'ok'. */
function chainVerdict(validator: ChainValidator, certificateFile: string): string {
  const now = Date.now()
  try {
    validator.validate(pemCertificates(certificateFile), { now, timestamp: now, skewMs: 30_000 })
    return 'ok'
  } catch (error) {
    if (error instanceof Rejection) return error.reason
    throw error
  }
}

/** `openssl verify -crl_check_all` of a service certificate, as an independent second opinion. */
function opensslVerdict(certificateFile: string): string {
  const result = openssl(
    'verify',
    '-crl_check_all',
    '-CRLfile',
    crlBundle,
    '-CAfile',
    join(rootDir, 'root.crt'),
    '-untrusted',
    join(issuingDir, 'ca.crt'),
    certificateFile,
  )
  if (result.code === 0) return 'ok'
  return /certificate revoked/.test(result.stdout + result.stderr)
    ? 'revoked'
    : result.stdout + result.stderr
}

/** Step 4's publishing: both CRLs, concatenated, where verifiers fetch them. */
async function publishCrls(): Promise<void> {
  const rootCrl = join(temp.dir, 'root.crl')
  const issuingCrl = join(temp.dir, 'issuing.crl')
  await run([
    'ca',
    'crl',
    '--dir',
    rootDir,
    '--passphrase-file',
    passFile,
    '--days',
    '365',
    '--out',
    rootCrl,
  ])
  await run(['ca', 'crl', '--dir', issuingDir, '--days', '7', '--out', issuingCrl])
  mkdirSync(join(temp.dir, 'www'), { recursive: true })
  writeFileSync(crlBundle, readFileSync(rootCrl, 'utf8') + readFileSync(issuingCrl, 'utf8'))
}

describe('operations walkthrough (docs/operations.md, "Certificate authority")', () => {
  it('1. create the root CA offline, with an encrypted key', async () => {
    const out = await run([
      'ca',
      'init',
      '--dir',
      rootDir,
      '--cn',
      'Example Root CA',
      '--days',
      '7300',
      '--passphrase-file',
      passFile,
    ])
    expect(out).toContain('(mode 0600, encrypted)')
    expect(modeOf(rootDir)).toBe(0o700)
    expect(readFileSync(join(rootDir, 'ca.key'), 'utf8')).toMatch(
      /^-----BEGIN ENCRYPTED PRIVATE KEY-----/,
    )
    expect(certificateText(join(rootDir, 'root.crt'))).toMatch(
      /Basic Constraints: critical\s+CA:TRUE\n/,
    )
  })

  it('2. create the issuing CA under the root (path length 0)', async () => {
    await run([
      'ca',
      'intermediate',
      '--dir',
      rootDir,
      '--passphrase-file',
      passFile,
      '--out',
      issuingDir,
      '--cn',
      'Example Issuing CA 1',
      '--path-len',
      '0',
      '--days',
      '1825',
    ])
    const verified = openssl(
      'verify',
      '-CAfile',
      join(rootDir, 'root.crt'),
      join(issuingDir, 'ca.crt'),
    )
    expect(verified.stdout).toContain(': OK')
    expect(certificateText(join(issuingDir, 'ca.crt'))).toContain('CA:TRUE, pathlen:0')
    expect(readFileSync(join(issuingDir, 'root.crt'))).toEqual(
      readFileSync(join(rootDir, 'root.crt')),
    )
  })

  it('3. issue a service certificate', async () => {
    bodhiOld = await fedmsgJson<IssuedJson>([
      'ca',
      'issue',
      '--dir',
      issuingDir,
      '--service',
      'bodhi',
      '--out',
      join(temp.dir, 'bodhi-v1'),
    ])
    koji = await fedmsgJson<IssuedJson>([
      'ca',
      'issue',
      '--dir',
      issuingDir,
      '--service',
      'koji',
      '--out',
      join(temp.dir, 'koji'),
    ])
    expect(pemCertificates(bodhiOld.certificateFile)).toHaveLength(2)
  })

  it('4. publish the CRLs of both CAs; verifiers accept the services', async () => {
    await publishCrls()
    for (const issuer of [join(rootDir, 'ca.crt'), join(issuingDir, 'ca.crt')]) {
      const block = issuer.includes('issuing') ? 'issuing.crl' : 'root.crl'
      const check = openssl(
        'crl',
        '-in',
        join(temp.dir, block),
        '-verify',
        '-CAfile',
        issuer,
        '-noout',
      )
      expect(check.stdout + check.stderr).toContain('verify OK')
    }
    const validator = busValidator()
    expect(chainVerdict(validator, bodhiOld.certificateFile)).toBe('ok')
    expect(opensslVerdict(bodhiOld.certificateFile)).toBe('ok')
    expect(chainVerdict(validator, koji.certificateFile)).toBe('ok')
  })

  it('5. rotate a service certificate: the old and the new one are valid side by side', async () => {
    bodhiNew = await fedmsgJson<IssuedJson>([
      'ca',
      'issue',
      '--dir',
      issuingDir,
      '--service',
      'bodhi',
      '--out',
      join(temp.dir, 'bodhi-v2'),
    ])
    expect(bodhiNew.serial).not.toBe(bodhiOld.serial)
    const validator = busValidator()
    for (const file of [bodhiOld.certificateFile, bodhiNew.certificateFile]) {
      expect(chainVerdict(validator, file)).toBe('ok')
      expect(opensslVerdict(file)).toBe('ok')
    }
  })

  it('6. retire the old certificate once the service runs on the new one: revoke it as superseded', async () => {
    await run([
      'ca',
      'revoke',
      '--dir',
      issuingDir,
      '--cert',
      bodhiOld.certificateFile,
      '--reason',
      'superseded',
    ])
    await publishCrls()
    const validator = busValidator()
    expect(chainVerdict(validator, bodhiOld.certificateFile)).toBe('revoked')
    expect(opensslVerdict(bodhiOld.certificateFile)).toBe('revoked')
    expect(chainVerdict(validator, bodhiNew.certificateFile)).toBe('ok')
    expect(opensslVerdict(bodhiNew.certificateFile)).toBe('ok')
  })

  it('7. revoke a compromised key and distribute the CRL: running verifiers refuse it after reload', async () => {
    const validator = busValidator()
    expect(chainVerdict(validator, koji.certificateFile)).toBe('ok')
    const before = openssl(
      'crl',
      '-in',
      join(temp.dir, 'issuing.crl'),
      '-noout',
      '-crlnumber',
    ).stdout
    await run([
      'ca',
      'revoke',
      '--dir',
      issuingDir,
      '--serial',
      koji.serial,
      '--reason',
      'keyCompromise',
    ])
    await publishCrls()
    const after = openssl(
      'crl',
      '-in',
      join(temp.dir, 'issuing.crl'),
      '-noout',
      '-crlnumber',
    ).stdout
    expect(parseInt(after.split('=0x')[1]!, 16)).toBeGreaterThan(
      parseInt(before.split('=0x')[1]!, 16),
    )
    // A hub reloads its `crl` files when they change; setCrls is what that reload calls.
    validator.setCrls(decodePemBlocks(readFileSync(crlBundle, 'utf8'), PEM_LABEL.crl))
    expect(chainVerdict(validator, koji.certificateFile)).toBe('revoked')
    expect(opensslVerdict(koji.certificateFile)).toBe('revoked')
    const text = openssl('crl', '-in', join(temp.dir, 'issuing.crl'), '-noout', '-text').stdout
    expect(text).toMatch(new RegExp(`${koji.serial.toUpperCase()}[\\s\\S]*?Key Compromise`))
    expect(chainVerdict(validator, bodhiNew.certificateFile)).toBe('ok')
  })
})
