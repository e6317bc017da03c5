/**
 * Issue #19 items 7 and 8: names are built from attribute values, never parsed from a DN string, and the issuer
 * name is copied byte for byte; every date is one X.509 can encode, else the command is refused before it
 * writes anything. `openssl asn1parse` reads the bytes, independently of our ASN.1 library.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCrl } from '../../src/ca/generate-crl.js'
import { initRootCa } from '../../src/ca/init-root-ca.js'
import { issueIntermediateCa } from '../../src/ca/issue-intermediate-ca.js'
import { issueServiceCertificate } from '../../src/ca/issue-service-certificate.js'
import { revokeCertificate } from '../../src/ca/revoke-certificate.js'
import { makeTempDir, openssl, snapshotTree } from './ca-test-kit.js'

let temp: ReturnType<typeof makeTempDir>
let root: string
beforeAll(async () => {
  temp = makeTempDir()
  root = join(temp.dir, 'root')
  await initRootCa({ dir: root })
})
afterAll(() => temp.remove())

interface Asn1Line {
  readonly offset: number
  readonly depth: number
  readonly length: number
  readonly type: string
  readonly value: string
}

/** `openssl asn1parse` of a PEM file's first block, one entry per element. */
function asn1(file: string, inform: 'x509' | 'crl' = 'x509'): { der: Buffer; lines: Asn1Line[] } {
  const derFile = `${file}.der`
  const converted = openssl(inform, '-in', file, '-outform', 'DER', '-out', derFile)
  expect(converted.code).toBe(0)
  const run = openssl('asn1parse', '-inform', 'DER', '-in', derFile)
  expect(run.code).toBe(0)
  const lines = run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const m =
        /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+(?:prim|cons):\s*([^:]*?)\s*(?::(.*))?$/.exec(
          line,
        )
      if (m === null) throw new Error(`unparsed asn1parse line ${line}`)
      return {
        offset: Number(m[1]),
        depth: Number(m[2]),
        length: Number(m[3]) + Number(m[4]),
        type: m[5]!,
        value: m[6] ?? '',
      }
    })
  return { der: readFileSync(derFile), lines }
}

/** The DER bytes of the `index`-th element of the TBS (depth 2). */
function tbsField(parsed: ReturnType<typeof asn1>, index: number): Buffer {
  const field = parsed.lines.filter((line) => line.depth === 2)[index]!
  return parsed.der.subarray(field.offset, field.offset + field.length)
}

/** Values of every commonName attribute (issuer and subject), as openssl prints them, with their types. */
function commonNames(file: string): string[] {
  const { lines } = asn1(file)
  return lines.flatMap((line, i) =>
    line.value === 'commonName' ? [`${lines[i + 1]!.type}:${lines[i + 1]!.value}`] : [],
  )
}

describe('names from attribute values (item 7)', () => {
  it.each([
    ['x\\', 'UTF8STRING'],
    ['"a,b"', 'UTF8STRING'],
    ['#0c03616263', 'UTF8STRING'],
    ['#13036162', 'UTF8STRING'],
    ['CN=evil, O=x', 'PRINTABLESTRING'],
    ['a+b', 'PRINTABLESTRING'],
    ['Zürich Root', 'UTF8STRING'],
  ])('--cn %j is the CN, byte for byte (%s)', async (cn, type) => {
    const dir = join(temp.dir, `cn-${Buffer.from(cn).toString('hex')}`)
    await initRootCa({ dir, cn })
    expect(commonNames(join(dir, 'ca.crt'))).toEqual([`${type}:${cn}`, `${type}:${cn}`])
    const inter = `${dir}-inter`
    await issueIntermediateCa({ parentDir: dir, outDir: inter, cn })
    expect(commonNames(join(inter, 'ca.crt'))).toEqual([`${type}:${cn}`, `${type}:${cn}`])
  })

  it.each([
    ['', /empty/],
    ['x'.repeat(65), /64/],
    ['line\nbreak', /control/],
  ])('--cn %j → ERR_FEDMSG_USAGE, no directory made', async (cn, message) => {
    const dir = join(temp.dir, 'refused-cn')
    await expect(initRootCa({ dir, cn })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_USAGE',
      message: expect.stringMatching(message),
    })
    await expect(issueIntermediateCa({ parentDir: root, outDir: dir, cn })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_USAGE',
    })
    expect(snapshotTree(dir)).toBeUndefined()
  })

  it("certificates and CRLs carry the issuer's name exactly as the CA's certificate encodes it", async () => {
    // A CA made by openssl: UTF8String values where a PrintableString would do, and a multi-valued RDN.
    const dir = join(temp.dir, 'openssl-ca')
    mkdirSync(join(dir, 'issued'), { recursive: true, mode: 0o700 })
    const made = openssl(
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '30',
      '-subj', '/CN=Zed+O=alpha/C=US/OU=Ops', '-multivalue-rdn', '-utf8',
      '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ) // prettier-ignore
    expect(made.code, made.stderr).toBe(0)
    writeFileSync(join(dir, 'root.crt'), readFileSync(join(dir, 'ca.crt')))
    writeFileSync(join(dir, 'chain.pem'), '')
    writeFileSync(join(dir, 'state.json'), '{"format":"fedmsg-ca/1","crlNumber":0,"issued":[]}')
    const subject = tbsField(asn1(join(dir, 'ca.crt')), 5)
    expect(subject.toString('latin1')).toContain('\x0c\x03Zed') // UTF8String "Zed"

    const out = join(temp.dir, 'openssl-ca-out')
    await issueServiceCertificate({ dir, service: 'bodhi', outDir: out, days: 7 })
    expect(tbsField(asn1(join(out, 'bodhi.crt')), 3)).toEqual(subject)
    await generateCrl({ dir, outFile: join(out, 'ca.crl') })
    expect(tbsField(asn1(join(out, 'ca.crl'), 'crl'), 2)).toEqual(subject)
    const verified = openssl(
      'verify', '-CAfile', join(dir, 'ca.crt'), '-CRLfile', join(out, 'ca.crl'), '-crl_check',
      '-purpose', 'any', join(out, 'bodhi.crt'),
    ) // prettier-ignore
    expect(verified.stdout + verified.stderr).toContain(': OK')
  })
})

describe('dates X.509 can hold (item 8)', () => {
  it('1950 is written as UTCTime, 2050 on as GeneralizedTime, up to 9999-12-31', async () => {
    const early = join(temp.dir, 'early')
    await initRootCa({ dir: early, notBefore: new Date('1950-01-01T00:00:00Z'), days: 36_525 })
    expect(asn1(join(early, 'ca.crt')).lines.filter((l) => /TIME$/.test(l.type))).toMatchObject([
      { type: 'UTCTIME', value: '500101000000Z' },
      { type: 'GENERALIZEDTIME', value: '20500101000000Z' },
    ])
    const late = join(temp.dir, 'late')
    await initRootCa({ dir: late, notBefore: new Date('9999-12-30T00:00:00Z'), days: 1 })
    expect(asn1(join(late, 'ca.crt')).lines.filter((l) => /TIME$/.test(l.type))).toMatchObject([
      { type: 'GENERALIZEDTIME', value: '99991230000000Z' },
      { type: 'GENERALIZEDTIME', value: '99991231000000Z' },
    ])
  })

  it.each([
    ['--days 2920000', { days: 2_920_000 }],
    ['--not-before 1900-01-01', { notBefore: new Date('1900-01-01T00:00:00Z') }],
    ['--not-before 1949-12-31', { notBefore: new Date('1949-12-31T23:59:59Z') }],
    ['--not-before 9999-12-31 --days 1', { notBefore: new Date('9999-12-31T00:00:00Z'), days: 1 }],
    ['--days 1e16 (past any Date)', { days: 1e16 }],
  ])('ca init %s → ERR_FEDMSG_USAGE before anything is written', async (_, options) => {
    const dir = join(temp.dir, 'refused-date')
    await expect(initRootCa({ dir, ...options })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_USAGE',
    })
    expect(snapshotTree(dir)).toBeUndefined()
    const out = join(temp.dir, 'refused-date-out')
    await expect(
      issueServiceCertificate({ dir: root, service: 'x', outDir: out, ...options }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_USAGE' })
    expect(snapshotTree(out)).toBeUndefined()
  })

  it.each([
    ['--days 2920000', { days: 2_920_000 }],
    ['--this-update 1900-01-01', { thisUpdate: new Date('1900-01-01T00:00:00Z') }],
  ])('ca crl %s → ERR_FEDMSG_USAGE; the good CRL and the CRL number stay', async (_, options) => {
    const outFile = join(temp.dir, 'root.crl')
    await generateCrl({ dir: root, outFile })
    const before = snapshotTree(temp.dir)
    await expect(generateCrl({ dir: root, outFile, ...options })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_USAGE',
    })
    expect(snapshotTree(temp.dir)).toEqual(before)
    expect(openssl('crl', '-in', outFile, '-noout').code).toBe(0)
  })

  it('a revocation date before 1950 → ERR_FEDMSG_USAGE, registry unchanged', async () => {
    const out = join(temp.dir, 'revoke-out')
    const { serial } = await issueServiceCertificate({ dir: root, service: 'r', outDir: out })
    const before = snapshotTree(root)
    await expect(
      revokeCertificate({ dir: root, serial, at: new Date('1900-01-01T00:00:00Z') }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_USAGE' })
    expect(snapshotTree(root)).toEqual(before)
  })
})
