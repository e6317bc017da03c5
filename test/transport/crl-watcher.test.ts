/**
 * Bug (#12.3): the CRL watcher read a file as soon as its stat changed, so a PEM bundle rewritten in place and
 * read mid-write installed only the blocks written so far (a valid set: the issuing CA's CRL, in a later
 * block, went missing and its leaves went unchecked).
 *   writer: crl.pem truncated, root block written ... issuing block written
 *   CrlWatcher.check() -> apply(whole, settled, complete files only)
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodePemBlocks, encodePem, PEM_LABEL } from '../../src/crypto/pem.js'
import { CrlWatcher } from '../../src/verification/crl-watcher.js'
import { crlOf, DAY, makePki, type Pki } from '../fixtures/pki.js'

let pki: Pki
let dir: string
beforeAll(async () => {
  pki = await makePki('es256')
  dir = mkdtempSync(join(tmpdir(), 'fm-crlw-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A watcher on one file that records the number of CRL blocks of each set it installs. */
async function watch(file: string) {
  const installed: number[] = []
  const watcher = new CrlWatcher({
    files: [file],
    intervalMs: 60_000,
    apply: (crls) => installed.push(decodePemBlocks(crls[0]!, PEM_LABEL.crl).length),
    logger: pino({ level: 'silent' }),
  })
  await watcher.start()
  return { watcher, installed }
}

describe('CRL reload reads only whole, settled files', () => {
  it('bug: a bundle read between its two blocks installed the first alone; now only the whole bundle is', async () => {
    const file = join(dir, 'in-place.pem')
    const root = encodePem(pki.rootCrl, PEM_LABEL.crl)
    writeFileSync(file, root + encodePem(pki.intermediateCrl, PEM_LABEL.crl))
    const { watcher, installed } = await watch(file)
    // `cat root.crl issuing.crl > crl.pem`, caught after the first block: a complete, valid-looking PEM file.
    writeFileSync(file, root)
    await watcher.check()
    expect(installed).toEqual([])
    appendFileSync(file, encodePem(pki.intermediateCrl, PEM_LABEL.crl))
    await watcher.check()
    expect(installed).toEqual([])
    // Unchanged for a whole poll: the write is over.
    await watcher.check()
    expect(installed).toEqual([2])
    expect(watcher.stats()).toEqual({ reloads: 1, failures: 0 })
    await watcher.close()
  })

  it('a bundle that stops inside a block is refused as a whole, the last good set stays', async () => {
    const file = join(dir, 'truncated.pem')
    const whole =
      encodePem(pki.rootCrl, PEM_LABEL.crl) + encodePem(pki.intermediateCrl, PEM_LABEL.crl)
    writeFileSync(file, whole)
    const { watcher, installed } = await watch(file)
    writeFileSync(file, whole.slice(0, whole.length - 200))
    await watcher.check()
    await watcher.check()
    expect(installed).toEqual([])
    expect(watcher.stats()).toEqual({ reloads: 0, failures: 1 })
    // Reported once, not on every poll.
    await watcher.check()
    expect(watcher.stats().failures).toBe(1)
    await watcher.close()
  })

  it('a file replaced atomically (rename) is installed after one settled poll', async () => {
    const file = join(dir, 'renamed.pem')
    writeFileSync(file, encodePem(pki.rootCrl, PEM_LABEL.crl))
    const { watcher, installed } = await watch(file)
    const next = join(dir, 'renamed.pem.next')
    writeFileSync(
      next,
      encodePem(pki.rootCrl, PEM_LABEL.crl) + encodePem(pki.intermediateCrl, PEM_LABEL.crl),
    )
    const { renameSync } = await import('node:fs')
    renameSync(next, file)
    expect(await watcher.check()).toBe(false)
    expect(await watcher.check()).toBe(true)
    expect(installed).toEqual([2])
    await watcher.close()
  })
})

// Security review: with requireCrls off (the hub's setting), an issuer no CRL names is not checked at all, and
// an older CRL that is still current lacks the latest revocations. A reload could do either, silently.
describe('a reload may not stop checking an issuer, nor move one back to an older CRL', () => {
  async function replace(file: string, text: string) {
    writeFileSync(`${file}.next`, text)
    const { renameSync } = await import('node:fs')
    renameSync(`${file}.next`, file)
  }

  it('a set that no longer names an issuer is refused; the last good set stays', async () => {
    const file = join(dir, 'dropped.pem')
    const root = encodePem(pki.rootCrl, PEM_LABEL.crl)
    writeFileSync(file, root + encodePem(pki.intermediateCrl, PEM_LABEL.crl))
    const { watcher, installed } = await watch(file)
    await replace(file, root)
    await watcher.check()
    await watcher.check()
    expect(installed).toEqual([])
    expect(watcher.stats()).toEqual({ reloads: 0, failures: 1 })
    await watcher.close()
  })

  it('an older CRL of an issuer (rollback) is refused; a newer one is installed', async () => {
    const file = join(dir, 'rollback.pem')
    const at = (ms: number) => ({ thisUpdate: new Date(Date.now() - ms) })
    const current = await crlOf(pki.intermediate, [pki.leaf], at(60_000))
    const older = await crlOf(pki.intermediate, [], at(DAY))
    const newer = await crlOf(pki.intermediate, [pki.leaf], at(1000))
    writeFileSync(file, encodePem(current, PEM_LABEL.crl))
    const { watcher, installed } = await watch(file)
    await replace(file, encodePem(older, PEM_LABEL.crl))
    await watcher.check()
    await watcher.check()
    expect(installed).toEqual([])
    expect(watcher.stats()).toEqual({ reloads: 0, failures: 1 })
    await replace(file, encodePem(newer, PEM_LABEL.crl))
    await watcher.check()
    await watcher.check()
    expect(installed).toEqual([1])
    await watcher.close()
  })
})
