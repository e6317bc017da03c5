import { existsSync, realpathSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { UsageError } from '../errors.js'
import { CA_LOCK_FILE } from './ca-lock.js'
import { caLayout } from './ca-layout.js'

/** Files a CA directory holds, by name (src/ca/ca-layout.ts). */
const CA_FILE_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(caLayout('')).map((path) => basename(path)),
  CA_LOCK_FILE,
  `${CA_LOCK_FILE}.break`,
])

/** True when `dir` holds a CA, complete or half-written. */
function isCaDirectory(dir: string): boolean {
  const layout = caLayout(dir)
  return [layout.state, layout.privateKey, layout.certificate].some((file) => existsSync(file))
}

/** `path` with its directory resolved through symlinks, so an alias of a CA directory is seen as one. */
function realLocation(path: string): string {
  try {
    return join(realpathSync(dirname(path)), basename(path))
  } catch {
    return path // the directory does not exist yet, so it holds no CA
  }
}

/**
 * Refuses an output file that would replace a file of a CA directory (its key, certificate, chain, root,
 * state or lock) or a copy under its `issued/`, whatever `--force` says: `flag` names the option to change.
 */
export function assertNotCaFile(path: string, flag: string): void {
  const real = realLocation(path)
  const dir = dirname(real)
  const inCaDir = CA_FILE_NAMES.has(basename(real)) && isCaDirectory(dir)
  const inIssued = basename(dir) === basename(caLayout('').issuedDir) && isCaDirectory(dirname(dir))
  if (inCaDir || inIssued) {
    throw new UsageError(
      `${flag} would overwrite ${real}, a file of the CA directory ${inIssued ? dirname(dir) : dir}: ` +
        'write it elsewhere (--force never replaces CA files)',
    )
  }
}
