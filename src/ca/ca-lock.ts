import { randomBytes } from 'node:crypto'
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { CaLocked, CaNotFound } from '../errors.js'

/** How long to wait for a CA's lock and when a lock counts as abandoned. */
export interface CaLockOptions {
  /** Give up with `CaLocked` after this long (ms). */
  readonly waitMs?: number
  /** A lock older than this (ms) is abandoned even if its process still runs: CA operations take < 1 s. */
  readonly staleMs?: number
  /** Pause between attempts (ms); jittered so that waiting processes do not retry in step. */
  readonly pollMs?: number
}

export const DEFAULT_CA_LOCK_OPTIONS: Required<CaLockOptions> = {
  waitMs: 10_000,
  staleMs: 120_000,
  pollMs: 20,
}

/** Name of the lock file inside a CA directory. */
export const CA_LOCK_FILE = 'ca.lock'

interface LockOwner {
  readonly pid: number
  readonly host: string
  readonly createdAt: number
  readonly token: string
}

/**
 * Runs `fn` while holding the CA directory's lock, so that two `fedmsg ca` processes never read the same state
 * and hand out the same serial or CRL number. The lock is a file created with O_EXCL; a lock whose process is
 * gone (same host) or that is older than `staleMs` is broken. Throws `CaLocked` after `waitMs`.
 *
 * @example
 * await withCaLock('/srv/ca/intermediate', () => issueUnderLock())
 */
export async function withCaLock<T>(
  dir: string,
  fn: () => T | Promise<T>,
  options: CaLockOptions = {},
): Promise<T> {
  const { waitMs, staleMs, pollMs } = { ...DEFAULT_CA_LOCK_OPTIONS, ...options }
  const path = join(dir, CA_LOCK_FILE)
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    createdAt: Date.now(),
    token: randomBytes(8).toString('hex'),
  }
  const deadline = Date.now() + waitMs
  while (!tryCreateLock(path, owner)) {
    const holder = readLock(path)
    if (holder === undefined) continue
    if (isStale(holder, staleMs) && breakStaleLock(path, holder, staleMs)) continue
    if (Date.now() >= deadline) {
      const who = holder.owner
        ? `process ${holder.owner.pid} on ${holder.owner.host}`
        : 'another process'
      throw new CaLocked(
        `CA ${dir} is locked by ${who}: wait for it to finish, or if no fedmsg ca command is running, remove ${path}`,
      )
    }
    await sleep(pollMs / 2 + Math.random() * pollMs)
  }
  try {
    return await fn()
  } finally {
    releaseLock(path, owner.token)
  }
}

function tryCreateLock(path: string, owner: LockOwner): boolean {
  let fd: number
  try {
    fd = openSync(path, 'wx', 0o600)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code === 'ENOENT') {
      throw new CaNotFound(`no CA directory ${dirname(path)}: create one with fedmsg ca init`, {
        cause: error,
      })
    }
    throw error
  }
  try {
    writeSync(fd, JSON.stringify(owner))
  } finally {
    closeSync(fd)
  }
  return true
}

interface LockHolder {
  /** Undefined while the holder has created the file but not yet written it, or if it died in between. */
  readonly owner: LockOwner | undefined
  readonly text: string
  readonly mtimeMs: number
}

function readLock(path: string): LockHolder | undefined {
  try {
    const mtimeMs = statSync(path).mtimeMs
    const text = readFileSync(path, 'utf8')
    return { owner: parseOwner(text), text, mtimeMs }
  } catch {
    // Released between our create attempt and this read: the next attempt will tell.
    return undefined
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null
    const complete =
      typeof value?.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.createdAt === 'number' &&
      typeof value.token === 'string'
    return complete ? (value as LockOwner) : undefined
  } catch {
    return undefined
  }
}

function isStale(holder: LockHolder, staleMs: number): boolean {
  const age = Date.now() - (holder.owner?.createdAt ?? holder.mtimeMs)
  if (age > staleMs) return true
  const owner = holder.owner
  return owner !== undefined && owner.host === hostname() && !isProcessAlive(owner.pid)
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes an abandoned lock. Two waiters may find the same stale lock; if both unlinked it, the second could
 * delete the fresh lock the first just took. So breakers take a second O_EXCL file and re-read the lock under
 * it: only a lock still byte-identical to the stale one is removed. False when another breaker is at work.
 */
function breakStaleLock(path: string, stale: LockHolder, staleMs: number): boolean {
  const breaker = `${path}.break`
  let fd: number
  try {
    fd = openSync(breaker, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const abandoned = readLock(breaker)
    // A breaker holds its file for microseconds; one this old crashed mid-break.
    if (abandoned !== undefined && Date.now() - abandoned.mtimeMs > Math.min(staleMs, 10_000)) {
      unlinkQuietly(breaker)
    }
    return false
  }
  closeSync(fd)
  try {
    if (readLock(path)?.text === stale.text) unlinkQuietly(path)
  } finally {
    unlinkQuietly(breaker)
  }
  return true
}

function releaseLock(path: string, token: string): void {
  // Only remove our own lock: if we overran staleMs, another process may have broken it and taken a new one.
  if (readLock(path)?.owner?.token === token) unlinkQuietly(path)
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone: someone else cleaned up.
  }
}
