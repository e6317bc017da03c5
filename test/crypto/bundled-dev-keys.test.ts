/**
 * Issue #11 item 1: the bundled dev CA's keys are exempt from the key-mode rule, and only they: exactly the
 * files shipped in this package's certs/dev, with exactly the bytes listed in bundled-dev-key-digests.ts.
 */
import { createHash } from 'node:crypto'
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BUNDLED_DEV_KEY_SHA256 } from '../../src/crypto/keys/bundled-dev-key-digests.js'
import { BUNDLED_DEV_CA_DIR, isBundledDevKey } from '../../src/crypto/keys/bundled-dev-keys.js'
import { readPrivateKeyFile } from '../../src/crypto/keys/key-file.js'

const temp = mkdtempSync(join(tmpdir(), 'fedmsg-dev-keys-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

const SHIPPED_KEYS = readdirSync(BUNDLED_DEV_CA_DIR, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.key'))
  .map((file) => join(BUNDLED_DEV_CA_DIR, file))
const BODHI_KEY = join(BUNDLED_DEV_CA_DIR, 'services', 'bodhi.key')

describe('bundled dev keys', () => {
  it('the digest list is that of every key in certs/dev (npm run certs:dev rewrites both)', () => {
    const digests = SHIPPED_KEYS.map((file) =>
      createHash('sha256').update(readFileSync(file)).digest('hex'),
    )
    expect(SHIPPED_KEYS.length).toBeGreaterThanOrEqual(14)
    expect(new Set(digests)).toEqual(new Set(BUNDLED_DEV_KEY_SHA256))
  })

  it.each(SHIPPED_KEYS.map((file) => [file.slice(BUNDLED_DEV_CA_DIR.length + 1), file]))(
    '%s is recognised as a bundled dev key',
    (_name, file) => expect(isBundledDevKey(file)).toBe(true),
  )

  it('a symlink to a shipped key is the shipped key', () => {
    const link = join(temp, 'link.key')
    symlinkSync(BODHI_KEY, link)
    expect(isBundledDevKey(link)).toBe(true)
  })

  it('a 0644 copy of a dev key outside certs/dev is not exempt: ERR_FEDMSG_KEY_INSECURE', () => {
    const copy = join(temp, 'bodhi.key')
    copyFileSync(BODHI_KEY, copy)
    chmodSync(copy, 0o644)
    expect(isBundledDevKey(copy)).toBe(false)
    expect(() => readPrivateKeyFile(copy)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_KEY_INSECURE' }),
    )
  })

  it('a 0644 file inside certs/dev whose bytes are not a shipped key is not exempt', () => {
    const other = join(BUNDLED_DEV_CA_DIR, 'services', `.changed-${process.pid}.pem`)
    writeFileSync(other, readFileSync(BODHI_KEY, 'utf8') + '\n', { mode: 0o644 })
    try {
      chmodSync(other, 0o644)
      expect(isBundledDevKey(other)).toBe(false)
      expect(() => readPrivateKeyFile(other)).toThrow(
        expect.objectContaining({ code: 'ERR_FEDMSG_KEY_INSECURE' }),
      )
    } finally {
      rmSync(other)
    }
  })

  it('a path that does not exist is not a bundled dev key', () => {
    expect(isBundledDevKey(join(BUNDLED_DEV_CA_DIR, 'services', 'nobody.key'))).toBe(false)
  })
})
