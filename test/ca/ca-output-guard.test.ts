/**
 * Issue #19 item 6: `ca issue --out` (and `ca crl --out`) never replace a file of a CA directory, with or
 * without --force: `--dir inter --service ca --out inter --force` used to overwrite the CA's key with a leaf's.
 */
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCrl } from '../../src/ca/generate-crl.js'
import { initRootCa } from '../../src/ca/init-root-ca.js'
import { issueIntermediateCa } from '../../src/ca/issue-intermediate-ca.js'
import { issueServiceCertificate } from '../../src/ca/issue-service-certificate.js'
import { makeTempDir, snapshotTree } from './ca-test-kit.js'

let temp: ReturnType<typeof makeTempDir>
let root: string
let inter: string
let serial: string
beforeAll(async () => {
  temp = makeTempDir()
  root = join(temp.dir, 'root')
  inter = join(temp.dir, 'inter')
  await initRootCa({ dir: root })
  await issueIntermediateCa({ parentDir: root, outDir: inter, cn: 'Guarded Issuing' })
  serial = (await issueServiceCertificate({ dir: inter, service: 'a', outDir: temp.dir })).serial
  symlinkSync(inter, join(temp.dir, 'alias'))
})
afterAll(() => temp.remove())

describe('ca issue --out', () => {
  it.each([
    ['ca', 'its own CA directory', () => inter],
    ['root', 'its own CA directory', () => inter],
    ['ca', 'another CA directory', () => root],
    ['ca', 'a symlink to the CA directory', () => join(temp.dir, 'alias')],
    ['SERIAL', 'the issued/ directory of the CA', () => join(inter, 'issued')],
  ])('--service %s --out <%s> --force → ERR_FEDMSG_USAGE, CA untouched', async (name, _, out) => {
    const before = snapshotTree(temp.dir)
    await expect(
      issueServiceCertificate({
        dir: inter,
        service: name === 'SERIAL' ? serial : name,
        outDir: out(),
        force: true,
      }),
    ).rejects.toMatchObject({
      code: 'ERR_FEDMSG_USAGE',
      message: expect.stringMatching(/CA directory/),
    })
    expect(snapshotTree(temp.dir)).toEqual(before)
  })

  it('a service whose files are not CA files may still be written next to them', async () => {
    await expect(
      issueServiceCertificate({ dir: inter, service: 'bodhi', outDir: inter }),
    ).resolves.toMatchObject({ certificateFile: join(inter, 'bodhi.crt') })
  })
})

describe('ca crl --out', () => {
  it.each(['ca.key', 'ca.crt', 'state.json', 'root.crt', 'chain.pem'])(
    '--out <CA dir>/%s → ERR_FEDMSG_USAGE, CA untouched',
    async (file) => {
      const before = snapshotTree(temp.dir)
      await expect(generateCrl({ dir: inter, outFile: join(inter, file) })).rejects.toMatchObject({
        code: 'ERR_FEDMSG_USAGE',
      })
      expect(snapshotTree(temp.dir)).toEqual(before)
    },
  )

  it('--out <CA dir>/crl.pem is allowed (the dev CA keeps its CRL there)', async () => {
    await expect(
      generateCrl({ dir: inter, outFile: join(inter, 'crl.pem') }),
    ).resolves.toMatchObject({
      crlNumber: 1,
    })
  })
})

describe('ca intermediate --out', () => {
  it('a symlink to --dir is --dir → ERR_FEDMSG_USAGE at once, not a 10 s wait on its own lock', async () => {
    const started = Date.now()
    await expect(
      issueIntermediateCa({
        parentDir: inter,
        outDir: join(temp.dir, 'alias'),
        cn: 'x',
        force: true,
      }),
    ).rejects.toMatchObject({ code: 'ERR_FEDMSG_USAGE' })
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
