import { CaWriteFailed, FedmsgError } from '../errors.js'

/** What to do next, by the system error a CA write failed with. */
const ADVICE: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full: free space and run the command again',
  EDQUOT: 'the disk quota is exhausted: free space and run the command again',
  EFBIG: 'the file size limit was reached: raise the limit (ulimit -f) and run the command again',
  EACCES:
    'permission denied: run the command as the owner of the CA directory or fix its permissions',
  EPERM: 'operation not permitted: run the command as the owner of the CA directory',
  EROFS: 'the file system is read-only: remount it read-write or use another directory',
  ENOENT: 'a directory on the path does not exist: create it or name another path',
  ENOTDIR: 'a component of the path is not a directory: name another path',
  EISDIR: 'the path is a directory: name a file',
  EEXIST: 'the path already exists',
  EIO: 'an I/O error occurred: check the disk',
}

/**
 * The typed error for a failed write of `path` by a CA operation. A system error (anything with an errno
 * `code` such as ENOSPC or EACCES) becomes `CaWriteFailed`; a `FedmsgError` or a programming error passes
 * through unchanged, so this can wrap any block that writes.
 */
export function toCaWriteError(error: unknown, path: string): unknown {
  if (error instanceof FedmsgError) return error
  const errno = (error as NodeJS.ErrnoException | null)?.code
  if (typeof errno !== 'string' || !/^E[A-Z0-9]+$/.test(errno)) return error
  const advice = ADVICE[errno] ?? 'check the disk and the directory, then run the command again'
  return new CaWriteFailed(
    path,
    errno,
    `cannot write ${path} (${errno}): ${advice}; the CA was left as it was`,
    { cause: error },
  )
}

/** Runs `write`, turning a system error into `CaWriteFailed` naming `path`. */
export function writingTo<T>(path: string, write: () => T): T {
  try {
    return write()
  } catch (error) {
    throw toCaWriteError(error, path)
  }
}
