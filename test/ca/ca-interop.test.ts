/**
 * The CA's output checked by an independent implementation: the `openssl` CLI reads, verifies and prints
 * every certificate and CRL the CA writes.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCrl } from '../../src/ca/generate-crl.js'
import { initRootCa } from '../../src/ca/init-root-ca.js'
import { issueIntermediateCa } from '../../src/ca/issue-intermediate-ca.js'
import {
  issueServiceCertificate,
  type IssuedService,
} from '../../src/ca/issue-service-certificate.js'
import { KEY_ALGORITHMS } from '../../src/ca/key-pair.js'
import { revokeCertificate } from '../../src/ca/revoke-certificate.js'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../../src/crypto/chain/eku.js'
import { certificateText, makeTempDir, openssl } from './ca-test-kit.js'

const DAY = 86_400_000
let temp: ReturnType<typeof makeTempDir>
let rootDir: string
let interDir: string
let services: string
let bodhi: IssuedService
let koji: IssuedService
let crlBundle: string

beforeAll(async () => {
  temp = makeTempDir()
  rootDir = join(temp.dir, 'root')
  interDir = join(temp.dir, 'intermediate')
  services = join(temp.dir, 'services')
  await initRootCa({ dir: rootDir, cn: 'Interop Root' })
  await issueIntermediateCa({
    parentDir: rootDir,
    outDir: interDir,
    cn: 'Interop Issuing',
    pathLength: 0,
  })
  bodhi = await issueServiceCertificate({ dir: interDir, service: 'bodhi', outDir: services })
  koji = await issueServiceCertificate({ dir: interDir, service: 'koji', outDir: services })
  await revokeCertificate({ dir: interDir, serial: koji.serial, reason: 'keyCompromise' })
  await generateCrl({ dir: rootDir, outFile: join(temp.dir, 'root.crl') })
  await generateCrl({ dir: interDir, outFile: join(temp.dir, 'intermediate.crl') })
  crlBundle = join(temp.dir, 'crl.pem')
  writeFileSync(
    crlBundle,
    readFileSync(join(temp.dir, 'root.crl'), 'utf8') +
      readFileSync(join(temp.dir, 'intermediate.crl'), 'utf8'),
  )
})
afterAll(() => temp.remove())

function verifyLeaf(leaf: string, ...extra: string[]) {
  return openssl(
    'verify',
    ...extra,
    '-CAfile',
    join(rootDir, 'root.crt'),
    '-untrusted',
    join(interDir, 'ca.crt'),
    leaf,
  )
}

/** The hex of the line after `label` in openssl's text output. */
function valueAfter(text: string, label: string): string {
  const lines = text.split('\n')
  return lines[lines.findIndex((line) => line.includes(label)) + 1]!.trim()
}

describe('certificate profiles, as openssl x509 -text shows them', () => {
  it('root: CA:TRUE critical, Certificate Sign + CRL Sign critical, SKI = AKI', () => {
    const text = certificateText(join(rootDir, 'ca.crt'))
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/)
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign\n/)
    expect(valueAfter(text, 'Subject Key Identifier')).toBe(
      valueAfter(text, 'Authority Key Identifier'),
    )
    expect(text).toContain('Issuer: CN = Interop Root')
    expect(text).toContain('Subject: CN = Interop Root')
  })

  it('intermediate: CA:TRUE, pathlen:0 critical, AKI = root SKI', () => {
    const text = certificateText(join(interDir, 'ca.crt'))
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0\n/)
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign\n/)
    const rootSki = valueAfter(certificateText(join(rootDir, 'ca.crt')), 'Subject Key Identifier')
    expect(valueAfter(text, 'Authority Key Identifier')).toBe(rootSki)
  })

  it('service leaf: CN, CA:FALSE critical, Digital Signature critical, the fedmsg EKU, SKI, AKI', () => {
    const text = certificateText(bodhi.certificateFile)
    expect(text).toContain('Subject: CN = bodhi')
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE\n/)
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/)
    expect(valueAfter(text, 'Extended Key Usage')).toBe(FEDMSG_MESSAGE_SIGNING_EKU)
    expect(text).toContain('Subject Key Identifier')
    const interSki = valueAfter(certificateText(join(interDir, 'ca.crt')), 'Subject Key Identifier')
    expect(valueAfter(text, 'Authority Key Identifier')).toBe(interSki)
  })

  it('serials are random, at least 64 bits, and distinct', () => {
    for (const leaf of [bodhi, koji]) {
      const serial = openssl('x509', '-in', leaf.certificateFile, '-noout', '-serial').stdout
      expect(serial.trim().toLowerCase()).toBe(`serial=${leaf.serial}`)
      expect(BigInt(`0x${leaf.serial}`)).toBeGreaterThanOrEqual(2n ** 64n)
    }
    expect(bodhi.serial).not.toBe(koji.serial)
  })

  it('NAME.crt holds the leaf, then the intermediate, and not the root', () => {
    const pem = readFileSync(bodhi.certificateFile, 'utf8')
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)!
    expect(blocks).toHaveLength(2)
    expect(`${blocks[1]}\n`).toBe(readFileSync(join(interDir, 'ca.crt'), 'utf8'))
    expect(pem).not.toContain(readFileSync(join(rootDir, 'ca.crt'), 'utf8').split('\n')[1])
    expect(openssl('pkey', '-in', bodhi.privateKeyFile, '-noout').code).toBe(0)
  })
})

describe('openssl verify', () => {
  it('the chain root → intermediate → leaf verifies', () => {
    const run = verifyLeaf(bodhi.certificateFile)
    expect(run.stdout).toContain(': OK')
    expect(run.code).toBe(0)
  })

  it('with -crl_check_all, the valid leaf passes and the revoked one is reported revoked', () => {
    expect(verifyLeaf(bodhi.certificateFile, '-crl_check_all', '-CRLfile', crlBundle).code).toBe(0)
    const revoked = verifyLeaf(koji.certificateFile, '-crl_check_all', '-CRLfile', crlBundle)
    expect(revoked.code).not.toBe(0)
    expect(revoked.stdout + revoked.stderr).toContain('certificate revoked')
  })

  it.each([
    { name: 'expired', notBefore: -10 * DAY, days: 1, error: 'certificate has expired' },
    { name: 'not yet valid', notBefore: 2 * DAY, days: 30, error: 'certificate is not yet valid' },
  ])('a back-dated $name leaf fails with "$error"', async ({ name, notBefore, days, error }) => {
    const leaf = await issueServiceCertificate({
      dir: interDir,
      service: `dated-${name.replace(/ /g, '-')}`,
      outDir: services,
      days,
      notBefore: new Date(Date.now() + notBefore),
    })
    const run = verifyLeaf(leaf.certificateFile)
    expect(run.code).not.toBe(0)
    expect(run.stdout + run.stderr).toContain(error)
  })

  it.each(KEY_ALGORITHMS)('a %s root, intermediate and leaf verify', async (alg) => {
    const root = join(temp.dir, `root-${alg}`)
    const inter = join(temp.dir, `inter-${alg}`)
    await initRootCa({ dir: root, alg })
    await issueIntermediateCa({ parentDir: root, outDir: inter, cn: `Issuing ${alg}`, alg })
    const leaf = await issueServiceCertificate({
      dir: inter,
      service: `svc-${alg}`,
      alg,
      outDir: services,
    })
    const run = openssl(
      'verify',
      '-CAfile',
      join(root, 'root.crt'),
      '-untrusted',
      join(inter, 'ca.crt'),
      leaf.certificateFile,
    )
    expect(run.stdout).toContain(': OK')
  })
})

describe('CRLs, as openssl crl reads them', () => {
  it.each(['root', 'intermediate'])('the %s CRL verifies against its issuer', (name) => {
    const issuer = join(name === 'root' ? rootDir : interDir, 'ca.crt')
    const run = openssl(
      'crl',
      '-in',
      join(temp.dir, `${name}.crl`),
      '-verify',
      '-CAfile',
      issuer,
      '-noout',
    )
    expect(run.stdout + run.stderr).toContain('verify OK')
    expect(run.code).toBe(0)
  })

  it('is PEM "X509 CRL" with CRL Number, AKI, thisUpdate, nextUpdate and the revoked serial and reason', () => {
    const file = join(temp.dir, 'intermediate.crl')
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN X509 CRL-----\n/)
    const text = openssl('crl', '-in', file, '-noout', '-text').stdout
    expect(valueAfter(text, 'X509v3 CRL Number')).toBe('1')
    const interSki = valueAfter(certificateText(join(interDir, 'ca.crt')), 'Subject Key Identifier')
    expect(valueAfter(text, 'Authority Key Identifier')).toBe(interSki)
    expect(text).toMatch(/Last Update: .+\n\s+Next Update: .+/)
    expect(text).toContain(`Serial Number: ${koji.serial.toUpperCase()}`)
    expect(valueAfter(text, 'CRL Reason Code')).toBe('Key Compromise')
  })

  it('the CRL number strictly increases from one crl run to the next', async () => {
    const numbers: number[] = []
    for (let run = 0; run < 3; run++) {
      const out = join(temp.dir, `again-${run}.crl`)
      const crl = await generateCrl({ dir: interDir, outFile: out })
      const text = openssl('crl', '-in', out, '-noout', '-crlnumber').stdout
      expect(text.trim()).toBe(
        `crlNumber=0x${crl.crlNumber.toString(16).toUpperCase().padStart(2, '0')}`,
      )
      numbers.push(crl.crlNumber)
    }
    expect(numbers[0]).toBeGreaterThan(1)
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2])
  })

  it('a CRL past its nextUpdate (--this-update back-dated) is refused by openssl: "CRL has expired"', async () => {
    const out = join(temp.dir, 'stale.crl')
    await generateCrl({
      dir: interDir,
      outFile: out,
      days: 1,
      thisUpdate: new Date(Date.now() - 3 * DAY),
    })
    const bundle = join(temp.dir, 'stale-bundle.pem')
    writeFileSync(
      bundle,
      readFileSync(join(temp.dir, 'root.crl'), 'utf8') + readFileSync(out, 'utf8'),
    )
    const run = verifyLeaf(bodhi.certificateFile, '-crl_check_all', '-CRLfile', bundle)
    expect(run.code).not.toBe(0)
    expect(run.stdout + run.stderr).toContain('CRL has expired')
  })

  it('a revocation with reason unspecified carries no reasonCode (RFC 5280 §5.3.1)', async () => {
    const leaf = await issueServiceCertificate({
      dir: interDir,
      service: 'plain-revoke',
      outDir: services,
    })
    await revokeCertificate({ dir: interDir, serial: leaf.serial })
    const out = join(temp.dir, 'unspecified.crl')
    await generateCrl({ dir: interDir, outFile: out })
    const text = openssl('crl', '-in', out, '-noout', '-text').stdout
    const entry = text.slice(text.indexOf(`Serial Number: ${leaf.serial.toUpperCase()}`))
    expect(entry.split('Serial Number:')[1]).not.toContain('CRL Reason Code')
  })
})
