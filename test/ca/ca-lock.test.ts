import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NODE_FS, type AtomicFs } from '../../src/ca/atomic-file.js'
import { CA_LOCK_FILE, withCaLock } from '../../src/ca/ca-lock.js'
import { makeTempDir } from './ca-test-kit.js'

let temp: ReturnType<typeof makeTempDir>
let lockPath: string
beforeEach(() => {
  temp = makeTempDir()
  lockPath = join(temp.dir, CA_LOCK_FILE)
})
afterEach(() => temp.remove())

function plantLock(owner: { pid: number; host?: string; createdAt?: number }): string {
  const text = JSON.stringify({
    pid: owner.pid,
    host: owner.host ?? hostname(),
    createdAt: owner.createdAt ?? Date.now(),
    token: 'planted',
  })
  writeFileSync(lockPath, text)
  return text
}

/** The pid of a process that has exited: a lock naming it is abandoned. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!
}

describe('withCaLock', () => {
  it('runs the function, returns its value and removes the lock', async () => {
    const value = await withCaLock(temp.dir, () => {
      expect(existsSync(lockPath)).toBe(true)
      return 42
    })
    expect(value).toBe(42)
    expect(existsSync(lockPath)).toBe(false)
  })

  it('releases the lock when the function throws', async () => {
    await expect(
      withCaLock(temp.dir, () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(existsSync(lockPath)).toBe(false)
  })

  it('a live holder past the bounded wait → ERR_FEDMSG_CA_LOCKED, and its lock is left alone', async () => {
    const text = plantLock({ pid: process.pid })
    await expect(withCaLock(temp.dir, () => 1, { waitMs: 100 })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CA_LOCKED',
    })
    expect(readFileSync(lockPath, 'utf8')).toBe(text)
  })

  it('a fresh lock from another host is not judged by pid → ERR_FEDMSG_CA_LOCKED', async () => {
    plantLock({ pid: deadPid(), host: 'elsewhere.example' })
    await expect(withCaLock(temp.dir, () => 1, { waitMs: 100 })).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CA_LOCKED',
    })
  })

  it('a lock whose process is gone is stale and broken at once', async () => {
    plantLock({ pid: deadPid() })
    await expect(withCaLock(temp.dir, () => 'ran', { waitMs: 0 })).resolves.toBe('ran')
    expect(existsSync(lockPath)).toBe(false)
  })

  it('a lock older than staleMs is broken even if its process still runs', async () => {
    plantLock({ pid: process.pid, createdAt: Date.now() - 10 * 60_000 })
    await expect(withCaLock(temp.dir, () => 'ran', { waitMs: 0 })).resolves.toBe('ran')
  })

  it('an unreadable lock file is judged by its age', async () => {
    writeFileSync(lockPath, 'garbage')
    const old = new Date(Date.now() - 10 * 60_000)
    utimesSync(lockPath, old, old)
    await expect(withCaLock(temp.dir, () => 'ran', { waitMs: 0 })).resolves.toBe('ran')
  })

  it('serializes holders: concurrent read-modify-write cycles lose no update', async () => {
    const counter = join(temp.dir, 'counter')
    writeFileSync(counter, '0')
    const increment = () =>
      withCaLock(temp.dir, async () => {
        const value = Number(readFileSync(counter, 'utf8'))
        await yieldToLoop()
        writeFileSync(counter, String(value + 1))
      })
    await Promise.all(Array.from({ length: 10 }, increment))
    expect(readFileSync(counter, 'utf8')).toBe('10')
  })

  // Issue #19 item 2: these states made every CA command spin at full CPU forever, past its deadline.
  it.each([
    ['a directory', () => mkdirSync(lockPath), /is a directory/],
    ['a dangling symlink', () => symlinkSync(join(temp.dir, 'nowhere'), lockPath), /symbolic link/],
    ['a symlink to a directory', () => symlinkSync(temp.dir, lockPath), /symbolic link/],
  ] as const)(
    'a ca.lock that is %s → ERR_FEDMSG_CA_LOCKED naming the path once the wait is over',
    async (_, plant, why) => {
      plant()
      const started = Date.now()
      const error = await withCaLock(temp.dir, () => 1, { waitMs: 300 }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'ERR_FEDMSG_CA_LOCKED' })
      expect((error as Error).message).toContain(lockPath)
      expect((error as Error).message).toMatch(why)
      expect(Date.now() - started).toBeGreaterThanOrEqual(300)
      expect(readdirSync(temp.dir).filter((name) => name !== CA_LOCK_FILE)).toEqual([])
    },
  )

  it('an empty ca.lock (a writer died or hit a full disk) is stale at once', async () => {
    writeFileSync(lockPath, '')
    await expect(withCaLock(temp.dir, () => 'ran', { waitMs: 0 })).resolves.toBe('ran')
    expect(existsSync(lockPath)).toBe(false)
  })

  it.each(['ENOSPC', 'EACCES', 'EDQUOT'])(
    'a lock that cannot be written (%s) → ERR_FEDMSG_CA_WRITE_FAILED, and no lock is left behind',
    async (code) => {
      const full: AtomicFs = {
        ...NODE_FS,
        writeSync: () => {
          throw Object.assign(new Error(`${code}: simulated`), { code })
        },
      }
      await expect(withCaLock(temp.dir, () => 1, { fs: full })).rejects.toMatchObject({
        code: 'ERR_FEDMSG_CA_WRITE_FAILED',
        errno: code,
        path: lockPath,
      })
      expect(readdirSync(temp.dir)).toEqual([])
      await expect(withCaLock(temp.dir, () => 'next', { waitMs: 0 })).resolves.toBe('next')
    },
  )

  it('a missing CA directory → ERR_FEDMSG_CA_NOT_FOUND', async () => {
    await expect(withCaLock(join(temp.dir, 'absent'), () => 1)).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CA_NOT_FOUND',
    })
  })
})
