/**
 * Issue #19 items 3 and 10: a CA command whose write fails (full disk, permission denied, missing directory)
 * throws ERR_FEDMSG_CA_WRITE_FAILED and leaves every directory exactly as it was: no lock, no temp file, no
 * half CA, no key without its certificate, no spent serial or CRL number, no chmod.
 *
 * The fault is injected at the edge, in the file-system calls of the atomic writer (AtomicFs), failing the
 * k-th file creation or write for every k until the command gets through: every step of every command is hit
 * once. The same failures on a real full disk (a 64 KiB tmpfs) are described in docs/operations.md.
 */
import { chmodSync, constants, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NODE_FS, type AtomicFs } from '../../src/ca/atomic-file.js'
import { generateCrl } from '../../src/ca/generate-crl.js'
import { initRootCa } from '../../src/ca/init-root-ca.js'
import { issueIntermediateCa } from '../../src/ca/issue-intermediate-ca.js'
import { issueServiceCertificate } from '../../src/ca/issue-service-certificate.js'
import { listIssued } from '../../src/ca/list-issued.js'
import { revokeCertificate } from '../../src/ca/revoke-certificate.js'
import type { CaOperationOptions } from '../../src/ca/ca-operation-options.js'
import { makeTempDir, modeOf, snapshotTree } from './ca-test-kit.js'

let temp: ReturnType<typeof makeTempDir>
let root: string
let inter: string
let crlFile: string
let serial: string

beforeAll(async () => {
  temp = makeTempDir()
  root = join(temp.dir, 'root')
  inter = join(temp.dir, 'inter')
  crlFile = join(temp.dir, 'inter.crl')
  await initRootCa({ dir: root })
  await issueIntermediateCa({ parentDir: root, outDir: inter, cn: 'Failures Issuing' })
  serial = (await issueServiceCertificate({ dir: inter, service: 'a', outDir: temp.dir })).serial
  await generateCrl({ dir: inter, outFile: crlFile })
})
afterAll(() => temp.remove())

type Call = 'create' | 'write'

/** The real file system, except that the `failAt`-th call of kind `call` fails with `code`. */
function failingFs(call: Call, failAt: number, code: string): AtomicFs {
  let count = 0
  const fail = () => {
    if (count++ === failAt) throw Object.assign(new Error(`${code}: injected`), { code })
  }
  return {
    ...NODE_FS,
    openSync: (path, flags, mode) => {
      if (call === 'create' && typeof flags === 'number' && (flags & constants.O_CREAT) !== 0)
        fail()
      return NODE_FS.openSync(path, flags, mode)
    },
    writeSync: (fd, buffer, offset, length) => {
      if (call === 'write') fail()
      return NODE_FS.writeSync(fd, buffer, offset, length)
    },
  }
}

/** Each run gets its own `tag`, so that the run that finally succeeds does not change the next case's start. */
const OPERATIONS: {
  name: string
  run: (options: CaOperationOptions, tag: string) => Promise<unknown>
}[] = [
  {
    name: 'ca init into a new directory',
    run: (o, tag) => initRootCa({ ...o, dir: join(temp.dir, `new-root-${tag}`) }),
  },
  { name: 'ca init --force over a CA', run: (o) => initRootCa({ ...o, dir: root, force: true }) },
  {
    name: 'ca intermediate into a new directory',
    run: (o, tag) =>
      issueIntermediateCa({ ...o, parentDir: root, outDir: join(temp.dir, tag, 'i2'), cn: 'I2' }),
  },
  {
    name: 'ca issue into a new directory',
    run: (o, tag) =>
      issueServiceCertificate({ ...o, dir: inter, service: 'b', outDir: join(temp.dir, tag, 'o') }),
  },
  { name: 'ca revoke', run: (o) => revokeCertificate({ ...o, dir: inter, serial }) },
  {
    name: 'ca crl over a good CRL',
    run: (o) => generateCrl({ ...o, dir: inter, outFile: crlFile }),
  },
]

describe.each(OPERATIONS)('$name', ({ run }) => {
  it.each([
    ['create', 'EACCES'],
    ['create', 'ENOENT'],
    ['create', 'ENOSPC'],
    ['write', 'ENOSPC'],
    ['write', 'EDQUOT'],
  ] as const)(
    '%s fails with %s at every step → ERR_FEDMSG_CA_WRITE_FAILED, nothing changed',
    async (call, code) => {
      for (let failAt = 0; ; failAt++) {
        const before = snapshotTree(temp.dir)
        const error = await run({ fs: failingFs(call, failAt, code) }, `${call}-${code}`).then(
          () => undefined,
          (e: unknown) => e,
        )
        if (error === undefined) break // failAt is past the last call: every step has failed once
        // ENOENT while writing a lock means "no CA directory".
        const expected = code === 'ENOENT' ? /CA_(WRITE_FAILED|NOT_FOUND)$/ : /CA_WRITE_FAILED$/
        expect(error, `failure at call ${failAt}`).toMatchObject({
          code: expect.stringMatching(expected),
        })
        expect(snapshotTree(temp.dir), `failure at call ${failAt}`).toEqual(before)
        expect(failAt).toBeLessThan(40)
      }
    },
  )
})

describe('refused commands change nothing', () => {
  it('ca init on an existing CA → ERR_FEDMSG_CA_EXISTS, and its directory keeps its mode', async () => {
    const dir = join(temp.dir, 'mode-kept')
    await initRootCa({ dir })
    chmodSync(dir, 0o750)
    const before = snapshotTree(dir)
    await expect(initRootCa({ dir })).rejects.toMatchObject({ code: 'ERR_FEDMSG_CA_EXISTS' })
    expect(modeOf(dir)).toBe(0o750)
    expect(snapshotTree(dir)).toEqual(before)
  })

  it('a failed ca intermediate leaves no output directory behind', async () => {
    const leaf0 = join(temp.dir, 'pathlen0')
    await issueIntermediateCa({ parentDir: root, outDir: leaf0, cn: 'PL0', pathLength: 0 })
    const out = join(temp.dir, 'never', 'made')
    await expect(
      issueIntermediateCa({ parentDir: leaf0, outDir: out, cn: 'below path length 0' }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_USAGE' })
    expect(snapshotTree(join(temp.dir, 'never'))).toBeUndefined()
  })

  it('ca crl --out into a missing directory → ERR_FEDMSG_CA_WRITE_FAILED before the CRL number is spent', async () => {
    const number = JSON.parse(readFileSync(join(inter, 'state.json'), 'utf8')).crlNumber
    await expect(
      generateCrl({ dir: inter, outFile: join(temp.dir, 'no-such-dir', 'x.crl') }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_CA_WRITE_FAILED', errno: 'ENOENT' })
    expect(JSON.parse(readFileSync(join(inter, 'state.json'), 'utf8')).crlNumber).toBe(number)
    await expect(generateCrl({ dir: inter, outFile: crlFile })).resolves.toMatchObject({
      crlNumber: number + 1,
    })
  })

  it('ca issue whose output path is a file → ERR_FEDMSG_CA_WRITE_FAILED, serial not registered', async () => {
    const blocker = join(temp.dir, 'blocker')
    writeFileSync(blocker, 'not a directory')
    const count = listIssued(inter).length
    await expect(
      issueServiceCertificate({ dir: inter, service: 'c', outDir: join(blocker, 'sub') }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_CA_WRITE_FAILED', errno: 'ENOTDIR' })
    expect(listIssued(inter)).toHaveLength(count)
  })
})
