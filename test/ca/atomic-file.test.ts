import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NODE_FS, writeFileAtomic, type AtomicFs } from '../../src/ca/atomic-file.js'
import { makeTempDir, modeOf, tempFilesIn } from './ca-test-kit.js'

let temp: ReturnType<typeof makeTempDir>
beforeEach(() => {
  temp = makeTempDir()
})
afterEach(() => temp.remove())

function diskFull(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
}

/** The real file system with one call replaced: how a full disk or a failing rename looks to the writer. */
const FAULTS: { name: string; fs: AtomicFs }[] = [
  {
    name: 'disk full after half the bytes',
    fs: {
      ...NODE_FS,
      writeSync: (fd, buffer, offset, length) => {
        if (offset > 0) throw diskFull()
        return NODE_FS.writeSync(fd, buffer, offset, Math.ceil(length / 2))
      },
    },
  },
  {
    name: 'fsync fails (I/O error)',
    fs: {
      ...NODE_FS,
      fsyncSync: () => {
        throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })
      },
    },
  },
  {
    name: 'rename fails',
    fs: {
      ...NODE_FS,
      renameSync: () => {
        throw Object.assign(new Error('EXDEV: cross-device link'), { code: 'EXDEV' })
      },
    },
  },
]

describe('writeFileAtomic', () => {
  it('writes the content with the requested mode, whatever the umask', () => {
    const path = join(temp.dir, 'ca.key')
    const previous = process.umask(0o000)
    try {
      writeFileAtomic(path, 'secret', { mode: 0o600 })
    } finally {
      process.umask(previous)
    }
    expect(readFileSync(path, 'utf8')).toBe('secret')
    expect(modeOf(path)).toBe(0o600)
    expect(tempFilesIn(temp.dir)).toEqual([])
  })

  it('replaces an existing file', () => {
    const path = join(temp.dir, 'state.json')
    writeFileSync(path, 'old')
    writeFileAtomic(path, new TextEncoder().encode('new'))
    expect(readFileSync(path, 'utf8')).toBe('new')
  })

  it.each(FAULTS)('$name → the previous file is intact and no temp file remains', ({ fs }) => {
    const path = join(temp.dir, 'state.json')
    writeFileSync(path, '{"previous":true}')
    expect(() => writeFileAtomic(path, `{"next":"${'x'.repeat(10_000)}"}`, { fs })).toThrow()
    expect(readFileSync(path, 'utf8')).toBe('{"previous":true}')
    expect(tempFilesIn(temp.dir)).toEqual([])
  })

  it('a failed first write leaves no file at all', () => {
    const path = join(temp.dir, 'new.json')
    expect(() => writeFileAtomic(path, 'x'.repeat(100), { fs: FAULTS[0]!.fs })).toThrow(/ENOSPC/)
    expect(tempFilesIn(temp.dir)).toEqual([])
    expect(() => readFileSync(path)).toThrow(/ENOENT/)
  })
})
