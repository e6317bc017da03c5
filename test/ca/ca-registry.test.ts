/** The serial registry: what `revoke` accepts and records, and the limits `issue` and `intermediate` enforce. */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeSerial } from '../../src/ca/ca-state.js'
import { initRootCa } from '../../src/ca/init-root-ca.js'
import { issueIntermediateCa } from '../../src/ca/issue-intermediate-ca.js'
import {
  issueServiceCertificate,
  type IssuedService,
} from '../../src/ca/issue-service-certificate.js'
import { listIssued } from '../../src/ca/list-issued.js'
import { revokeCertificate } from '../../src/ca/revoke-certificate.js'
import { makeTempDir } from './ca-test-kit.js'

let temp: ReturnType<typeof makeTempDir>
let rootDir: string
let interDir: string
let outDir: string
let leaf: IssuedService

beforeAll(async () => {
  temp = makeTempDir()
  rootDir = join(temp.dir, 'root')
  interDir = join(temp.dir, 'intermediate')
  outDir = join(temp.dir, 'out')
  await initRootCa({ dir: rootDir, days: 100 })
  await issueIntermediateCa({
    parentDir: rootDir,
    outDir: interDir,
    cn: 'Issuing',
    pathLength: 0,
    days: 50,
  })
  leaf = await issueServiceCertificate({ dir: interDir, service: 'bodhi', outDir, days: 10 })
})
afterAll(() => temp.remove())

describe('normalizeSerial', () => {
  it.each([
    ['4FA1', '4fa1'],
    ['00:4f:A1', '4fa1'],
    ['0', '0'],
    ['000', '0'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSerial(input)).toBe(expected)
  })

  it('refuses non-hex', () => {
    expect(() => normalizeSerial('xyz')).toThrow(TypeError)
  })
})

describe('the registry', () => {
  it('records every issued certificate with serial, CN, kind, alg and validity', () => {
    expect(listIssued(rootDir)).toEqual([
      expect.objectContaining({ cn: 'Issuing', kind: 'ca', alg: 'es256' }),
    ])
    const [record] = listIssued(interDir)
    expect(record).toMatchObject({
      serial: leaf.serial,
      cn: 'bodhi',
      kind: 'service',
      alg: 'es256',
      notAfter: leaf.notAfter.toISOString(),
    })
    expect(record?.revoked).toBeUndefined()
  })
})

describe('revoke', () => {
  it('accepts the serial as openssl prints it (upper case, colons)', async () => {
    const other = await issueServiceCertificate({
      dir: interDir,
      service: 'koji',
      outDir,
      days: 10,
    })
    const spelled = other.serial.toUpperCase().match(/../g)!.join(':')
    const { record, changed } = await revokeCertificate({
      dir: interDir,
      serial: spelled,
      reason: 'superseded',
    })
    expect(changed).toBe(true)
    expect(record).toMatchObject({ serial: other.serial, revoked: { reason: 'superseded' } })
  })

  it('the same reason again changes nothing; a new reason updates it and keeps the date', async () => {
    const other = await issueServiceCertificate({ dir: interDir, service: 'fas', outDir, days: 10 })
    const first = await revokeCertificate({
      dir: interDir,
      certificateFile: other.certificateFile,
      reason: 'superseded',
    })
    const again = await revokeCertificate({
      dir: interDir,
      serial: other.serial,
      reason: 'superseded',
    })
    expect(again).toEqual({ record: first.record, changed: false })
    const escalated = await revokeCertificate({
      dir: interDir,
      serial: other.serial,
      reason: 'keyCompromise',
    })
    expect(escalated.changed).toBe(true)
    expect(escalated.record.revoked).toEqual({
      at: first.record.revoked!.at,
      reason: 'keyCompromise',
    })
  })

  it('a serial this CA never issued → ERR_FEDMSG_USAGE', async () => {
    await expect(revokeCertificate({ dir: interDir, serial: 'deadbeef' })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_USAGE',
    })
  })

  it('a certificate issued by another CA → ERR_FEDMSG_CERT_INVALID', async () => {
    await expect(
      revokeCertificate({ dir: rootDir, certificateFile: leaf.certificateFile }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_CERT_INVALID' })
  })

  it('neither or both of serial and certificate → ERR_FEDMSG_USAGE', async () => {
    await expect(revokeCertificate({ dir: interDir })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_USAGE',
    })
    await expect(
      revokeCertificate({
        dir: interDir,
        serial: leaf.serial,
        certificateFile: leaf.certificateFile,
      }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_USAGE' })
  })
})

describe('limits', () => {
  it('a leaf that would outlive its CA → ERR_FEDMSG_USAGE', async () => {
    await expect(
      issueServiceCertificate({ dir: interDir, service: 'long', outDir, days: 51 }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_USAGE' })
  })

  it('an intermediate under a path-length-0 CA → ERR_FEDMSG_USAGE', async () => {
    await expect(
      issueIntermediateCa({
        parentDir: interDir,
        outDir: join(temp.dir, 'sub'),
        cn: 'Sub',
        days: 10,
      }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_USAGE' })
  })

  it.each(['../evil', 'a/b', '', '.hidden', 'x'.repeat(65)])(
    'service name %j → ERR_FEDMSG_USAGE',
    async (service) => {
      await expect(
        issueServiceCertificate({ dir: interDir, service, outDir }),
      ).rejects.toMatchObject({
        code: 'ERR_FEDMSG_USAGE',
      })
    },
  )
})
