import * as nodeFs from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import { writingTo } from './ca-write-error.js'

/**
 * The file-system calls an atomic write makes. Production code passes nothing and gets node:fs; the crash-safety
 * tests pass a copy with one call replaced by a failing one, to show a failed write leaves the old file intact.
 */
export interface AtomicFs {
  openSync: typeof nodeFs.openSync
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number
  fchmodSync: typeof nodeFs.fchmodSync
  fsyncSync: typeof nodeFs.fsyncSync
  closeSync: typeof nodeFs.closeSync
  renameSync: typeof nodeFs.renameSync
  linkSync: typeof nodeFs.linkSync
  unlinkSync: typeof nodeFs.unlinkSync
}

/** The real file system. */
export const NODE_FS: AtomicFs = {
  openSync: nodeFs.openSync,
  writeSync: (fd, buffer, offset, length) => nodeFs.writeSync(fd, buffer, offset, length),
  fchmodSync: nodeFs.fchmodSync,
  fsyncSync: nodeFs.fsyncSync,
  closeSync: nodeFs.closeSync,
  renameSync: nodeFs.renameSync,
  linkSync: nodeFs.linkSync,
  unlinkSync: nodeFs.unlinkSync,
}

export interface AtomicWriteOptions {
  /** Mode of the new file (default 0o644); private keys and CA state use 0o600. */
  readonly mode?: number
  readonly fs?: AtomicFs
}

/** A file written in full to a temp name next to its destination, waiting to be renamed into place. */
export interface StagedFile {
  readonly path: string
  /** Renames the temp file over `path` and makes the rename durable. */
  commit(): void
  /** Removes the temp file; `path` is untouched. Safe to call after commit (does nothing then). */
  discard(): void
}

/**
 * Writes `data` to a temp file in the directory of `path` and fsyncs it, without touching `path`: the slow
 * part of a write, and the one a full disk fails, happens before a caller commits anything. A failure
 * removes the temp file and throws `CaWriteFailed` naming `path`.
 *
 * @example
 * const key = stageFile('/etc/fedmsg/bodhi.key', pem, { mode: 0o600 })
 * commitRegistry() // fails? key.discard()
 * key.commit()
 */
export function stageFile(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): StagedFile {
  const fs = options.fs ?? NODE_FS
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const mode = options.mode ?? 0o644
  let pending = true
  writingTo(path, () => {
    // O_EXCL: never follow or reuse a file someone planted under the temp name.
    const fd = fs.openSync(
      temp,
      nodeFs.constants.O_WRONLY | nodeFs.constants.O_CREAT | nodeFs.constants.O_EXCL,
      mode,
    )
    try {
      try {
        // The umask only narrows the mode given to open; set it exactly so a key is 0600 whatever the umask.
        fs.fchmodSync(fd, mode)
        writeAll(fs, fd, bytes)
        fs.fsyncSync(fd)
      } finally {
        fs.closeSync(fd)
      }
    } catch (error) {
      removeQuietly(fs, temp)
      throw error
    }
  })
  return {
    path,
    commit() {
      if (!pending) return
      writingTo(path, () => {
        try {
          fs.renameSync(temp, path)
        } catch (error) {
          removeQuietly(fs, temp)
          throw error
        } finally {
          pending = false
        }
        syncDirectory(fs, dir)
      })
    },
    discard() {
      if (pending) removeQuietly(fs, temp)
      pending = false
    },
  }
}

/**
 * Replaces `path` with `data` so that a crash or a full disk leaves either the old file or the new one, never
 * a mix: write a temp file in the same directory, fsync it, rename it over `path`, fsync the directory so the
 * rename itself is durable. On failure the temp file is removed and `CaWriteFailed` thrown.
 *
 * @example
 * writeFileAtomic('/var/lib/fedmsg-ca/state.json', JSON.stringify(state), { mode: 0o600 })
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  stageFile(path, data, options).commit()
}

function writeAll(fs: AtomicFs, fd: number, bytes: Uint8Array): void {
  let offset = 0
  while (offset < bytes.length) {
    offset += fs.writeSync(fd, bytes, offset, bytes.length - offset)
  }
}

function removeQuietly(fs: AtomicFs, path: string): void {
  try {
    fs.unlinkSync(path)
  } catch {
    // The temp file may never have been created; the original error is the one worth reporting.
  }
}

/** fsync a directory so that a rename or create in it survives a crash (POSIX leaves this to the caller). */
export function syncDirectory(fs: AtomicFs, dir: string): void {
  const fd = fs.openSync(dir, nodeFs.constants.O_RDONLY)
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
