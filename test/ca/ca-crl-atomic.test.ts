/**
 * #12, item 3: verifiers poll CRL files, so `fedmsg ca crl` must never leave a half-written file where they
 * look. It replaces `--out` by rename: a reader that opened the old file still reads the whole old CRL, the
 * path names a new file, and no temp file stays behind.
 *   fedmsg ca crl --out issuing.crl (old, open by a reader) -> temp file, fsync -> rename over issuing.crl
 */
import { chmodSync, closeSync, cpSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodePemBlocks, PEM_LABEL } from '../../src/crypto/pem.js'
import { fedmsg, makeTempDir, REPO, tempFilesIn } from './ca-test-kit.js'

let temp: ReturnType<typeof makeTempDir>
beforeEach(() => {
  temp = makeTempDir()
  cpSync(join(REPO, 'certs/dev/ca/intermediate'), join(temp.dir, 'ca'), { recursive: true })
  chmodSync(join(temp.dir, 'ca/ca.key'), 0o600)
})
afterEach(() => temp.remove())

describe('fedmsg ca crl writes its --out file atomically', () => {
  it('over an existing CRL: a new file is renamed in; a reader of the old one still gets it whole', async () => {
    const out = join(temp.dir, 'issuing.crl')
    const crl = ['ca', 'crl', '--dir', 'ca', '--out', out, '--days', '7']
    expect((await fedmsg(crl, temp.dir)).code).toBe(0)
    const old = readFileSync(out)
    const reader = openSync(out, 'r')
    const inode = statSync(out).ino
    try {
      expect((await fedmsg(crl, temp.dir)).code).toBe(0)
      const held = Buffer.alloc(old.length + 100)
      expect(readSync(reader, held, 0, held.length, 0)).toBe(old.length)
      expect(held.subarray(0, old.length)).toEqual(old)
    } finally {
      closeSync(reader)
    }
    expect(statSync(out).ino).not.toBe(inode)
    expect(decodePemBlocks(readFileSync(out, 'utf8'), PEM_LABEL.crl)).toHaveLength(1)
    expect(tempFilesIn(temp.dir)).toEqual([])
  })
})
