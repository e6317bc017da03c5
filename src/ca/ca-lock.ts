import { randomBytes } from 'node:crypto'
import { closeSync, lstatSync, openSync, readFileSync, unlinkSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { CaLocked, CaNotFound, CaWriteFailed } from '../errors.js'
import { NODE_FS, writeFileAtomic, type AtomicFs } from './atomic-file.js'
import { toCaWriteError } from './ca-write-error.js'

/** How long to wait for a CA's lock and when a lock counts as abandoned. */
export interface CaLockOptions {
  /** Give up with `CaLocked` after this long (ms). */
  readonly waitMs?: number
  /** A lock older than this (ms) is abandoned even if its process still runs: CA operations take < 1 s. */
  readonly staleMs?: number
  /** Pause between attempts (ms); jittered so that waiting processes do not retry in step. */
  readonly pollMs?: number
  /** File-system calls that write the lock; tests inject a full disk through it. */
  readonly fs?: AtomicFs
}

export const DEFAULT_CA_LOCK_OPTIONS: Required<Omit<CaLockOptions, 'fs'>> = {
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
 * and hand out the same serial or CRL number. The lock file is written in full under a temp name and then
 * hard-linked to `ca.lock`, which fails if the lock exists: a lock is complete or absent, never empty. A lock
 * whose process is gone (same host), that is empty, or that is older than `staleMs` is broken. Throws
 * `CaLocked` after `waitMs`, also when `ca.lock` is something no fedmsg command wrote (a directory, a
 * dangling symlink), and `CaWriteFailed` when the lock cannot be written at all.
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
  const fs = options.fs ?? NODE_FS
  const path = join(dir, CA_LOCK_FILE)
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    createdAt: Date.now(),
    token: randomBytes(8).toString('hex'),
  }
  const deadline = Date.now() + waitMs
  const candidate = writeCandidate(path, owner, fs)
  try {
    for (;;) {
      if (linkLock(candidate, path, fs)) break
      const holder = readLock(path)
      if (holder.kind === 'gone') continue // released since our attempt: try again at once
      if (
        holder.kind === 'held' &&
        isStale(holder, staleMs) &&
        breakStaleLock(path, holder, staleMs)
      )
        continue
      if (Date.now() >= deadline) throw lockedError(dir, path, holder)
      await sleep(pollMs / 2 + Math.random() * pollMs)
    }
  } finally {
    unlinkQuietly(candidate)
  }
  try {
    return await fn()
  } finally {
    releaseLock(path, owner.token)
  }
}

/** The lock's content, complete, under a name of its own; linked to `ca.lock` on each attempt. */
function writeCandidate(path: string, owner: LockOwner, fs: AtomicFs): string {
  const candidate = join(dirname(path), `.${CA_LOCK_FILE}.${owner.token}.tmp`)
  try {
    writeFileAtomic(candidate, JSON.stringify(owner), { mode: 0o600, fs })
  } catch (error) {
    if (!(error instanceof CaWriteFailed)) throw error
    if (error.errno === 'ENOENT') {
      throw new CaNotFound(`no CA directory ${dirname(path)}: create one with fedmsg ca init`, {
        cause: error,
      })
    }
    throw toCaWriteError(error.cause, path) // name ca.lock, not the temp file behind it
  }
  return candidate
}

/** link(2) fails with EEXIST when `ca.lock` exists, whatever it is: creation and content in one step. */
function linkLock(candidate: string, path: string, fs: AtomicFs): boolean {
  try {
    fs.linkSync(candidate, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw toCaWriteError(error, path)
  }
}

function lockedError(
  dir: string,
  path: string,
  holder: Exclude<LockHolder, { kind: 'gone' }>,
): CaLocked {
  if (holder.kind === 'unreadable') {
    return new CaLocked(
      `CA ${dir} is locked: ${path} ${holder.why}, not a lock a fedmsg command wrote: ` +
        `if no fedmsg ca command is running, remove ${path}`,
    )
  }
  const who = holder.owner
    ? `process ${holder.owner.pid} on ${holder.owner.host}`
    : 'another process'
  return new CaLocked(
    `CA ${dir} is locked by ${who}: wait for it to finish, or if no fedmsg ca command is running, remove ${path}`,
  )
}

/** What `ca.lock` holds right now. */
type LockHolder =
  | { readonly kind: 'gone' }
  | {
      readonly kind: 'held'
      /** Undefined when the content is not a lock owner (a lock of an older fedmsg, or garbage). */
      readonly owner: LockOwner | undefined
      readonly text: string
      readonly mtimeMs: number
    }
  | { readonly kind: 'unreadable'; readonly why: string }

function readLock(path: string): LockHolder {
  try {
    // lstat: a symlink (dangling or not) is not a lock we wrote, and is never followed.
    const stat = lstatSync(path)
    if (stat.isDirectory()) return { kind: 'unreadable', why: 'is a directory' }
    if (stat.isSymbolicLink()) return { kind: 'unreadable', why: 'is a symbolic link' }
    if (!stat.isFile()) return { kind: 'unreadable', why: 'is not a regular file' }
    const text = readFileSync(path, 'utf8')
    return { kind: 'held', owner: parseOwner(text), text, mtimeMs: stat.mtimeMs }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT'
      ? { kind: 'gone' }
      : { kind: 'unreadable', why: `cannot be read (${code})` }
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

type HeldLock = Extract<LockHolder, { kind: 'held' }>

function isStale(holder: HeldLock, staleMs: number): boolean {
  // Locks are written complete; an empty one was left by a writer that died or hit a full disk.
  if (holder.text === '') return true
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
function breakStaleLock(path: string, stale: HeldLock, staleMs: number): boolean {
  const breaker = `${path}.break`
  let fd: number
  try {
    fd = openSync(breaker, 'wx', 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw toCaWriteError(error, breaker)
    const abandoned = readLock(breaker)
    // A breaker holds its file for microseconds; one this old crashed mid-break.
    if (abandoned.kind === 'held' && Date.now() - abandoned.mtimeMs > Math.min(staleMs, 10_000)) {
      unlinkQuietly(breaker)
    }
    return false
  }
  closeSync(fd)
  try {
    const now = readLock(path)
    if (now.kind === 'held' && now.text === stale.text) unlinkQuietly(path)
  } finally {
    unlinkQuietly(breaker)
  }
  return true
}

function releaseLock(path: string, token: string): void {
  // Only remove our own lock: if we overran staleMs, another process may have broken it and taken a new one.
  const holder = readLock(path)
  if (holder.kind === 'held' && holder.owner?.token === token) unlinkQuietly(path)
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone: someone else cleaned up.
  }
}
