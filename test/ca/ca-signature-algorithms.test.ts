/**
 * Issue 12 item 2: a CA whose own certificate is signed with SHA-1 (re-signed by `openssl x509 -sha1`, as an
 * old or imported CA would be) refuses to issue: every verifier refuses chains through it (docs/protocol.md
 * §4.5). Its CRLs are still made, so what it issued before stays revocable.
 */
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCrl } from '../../src/ca/generate-crl.js'
import { initRootCa } from '../../src/ca/init-root-ca.js'
import { issueIntermediateCa } from '../../src/ca/issue-intermediate-ca.js'
import { issueServiceCertificate } from '../../src/ca/issue-service-certificate.js'
import { makeTempDir, openssl } from './ca-test-kit.js'

let temp: ReturnType<typeof makeTempDir>
let rootDir: string
let sha1Dir: string

/** Certifies DIR's key again with the parent's key and `digest` (`openssl x509 -req`), as DIR/ca.crt and chain.pem. */
function resign(dir: string, parentDir: string, digest: string): void {
  const file = (name: string) => join(dir, name)
  writeFileSync(
    file('ca.ext'),
    'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n',
  )
  const csr = openssl(
    'req',
    '-new',
    '-key',
    file('ca.key'),
    '-subj',
    '/CN=Resigned',
    '-out',
    file('ca.csr'),
  )
  expect(csr.code).toBe(0)
  const run = openssl(
    'x509',
    '-req',
    '-in',
    file('ca.csr'),
    '-CA',
    join(parentDir, 'ca.crt'),
    '-CAkey',
    join(parentDir, 'ca.key'),
    '-set_serial',
    '0x77',
    '-days',
    '30',
    '-extfile',
    file('ca.ext'),
    `-${digest}`,
    '-out',
    file('resigned.crt'),
  )
  expect(run.code).toBe(0)
  const text = openssl('x509', '-in', file('resigned.crt'), '-noout', '-text').stdout
  expect(text).toContain(`${digest}WithRSAEncryption`)
  copyFileSync(file('resigned.crt'), file('ca.crt'))
  copyFileSync(file('resigned.crt'), file('chain.pem'))
}

beforeAll(async () => {
  temp = makeTempDir()
  rootDir = join(temp.dir, 'root')
  sha1Dir = join(temp.dir, 'sha1-intermediate')
  await initRootCa({ dir: rootDir, alg: 'rsa2048' })
  await issueIntermediateCa({
    parentDir: rootDir,
    outDir: sha1Dir,
    cn: 'SHA-1 Issuing',
    alg: 'rsa2048',
  })
  resign(sha1Dir, rootDir, 'sha1')
})
afterAll(() => temp.remove())

describe('a CA certified with SHA-1 refuses to issue', () => {
  it('a service certificate → ERR_FEDMSG_CERT_INVALID, nothing written', async () => {
    const outDir = join(temp.dir, 'services')
    await expect(
      issueServiceCertificate({ dir: sha1Dir, service: 'bodhi', outDir, days: 1 }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_CERT_INVALID' })
    expect(openssl('x509', '-in', join(outDir, 'bodhi.crt')).code).not.toBe(0)
  })

  it('an intermediate CA → ERR_FEDMSG_CERT_INVALID', async () => {
    await expect(
      issueIntermediateCa({
        parentDir: sha1Dir,
        outDir: join(temp.dir, 'below'),
        cn: 'Below',
        days: 1,
      }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_CERT_INVALID' })
  })

  it('its CRL is still made, so that what it issued stays revocable', async () => {
    await expect(
      generateCrl({ dir: sha1Dir, outFile: join(temp.dir, 'sha1.crl') }),
    ).resolves.toBeDefined()
  })

  it('the same CA re-signed with SHA-256 issues again', async () => {
    const dir = join(temp.dir, 'sha256-intermediate')
    await issueIntermediateCa({
      parentDir: rootDir,
      outDir: dir,
      cn: 'SHA-256 Issuing',
      alg: 'rsa2048',
    })
    resign(dir, rootDir, 'sha256')
    const issued = await issueServiceCertificate({
      dir,
      service: 'koji',
      outDir: join(temp.dir, 'ok'),
      days: 1,
    })
    expect(issued.service).toBe('koji')
  })
})
