import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import { ConfigInvalid } from '../errors.js'

/** An entry of a fedmsg.d directory that is not read, and why; messages list them. */
export interface SkippedEntry {
  readonly name: string
  readonly why: 'hidden' | 'not named *.json'
}

export interface ConfigDirListing {
  /** Absolute paths of the config files, in lexical (code point) order. */
  readonly files: readonly string[]
  /** Entries that are not configuration by their names, in the same order. */
  readonly skipped: readonly SkippedEntry[]
}

/**
 * The config files of a fedmsg.d directory: the regular files (or symlinks to one) named `*.json`, in code
 * point order, so that `10-bus.json` is read before `20-local.json` whatever the locale. Hidden entries
 * (editor backups and lock files) and other names (`README`, `pki/`, `*.rpmsave`) are skipped.
 *
 * Whatever may be meant as configuration but cannot be read is an error, never skipped: skipping it would
 * run on other values than the operator wrote (issue 19). So a broken symlink, an entry `stat` fails on, a
 * `*.JSON` name in another letter case and a `*.json` that is not a regular file each throw
 * {@link ConfigInvalid} naming the entry.
 *
 * @example
 * ```ts
 * const { files, skipped } = listConfigDir('/etc/fedmsg.d')
 * // files: ['/etc/fedmsg.d/10-bus.json'], skipped: [{ name: 'README', why: 'not named *.json' }]
 * ```
 */
export function listConfigDir(dir: string): ConfigDirListing {
  const files: string[] = []
  const skipped: SkippedEntry[] = []
  for (const name of readNames(dir).sort(byCodePoint)) {
    if (name.startsWith('.')) {
      skipped.push({ name, why: 'hidden' })
      continue
    }
    const path = join(dir, name)
    const stats = statConfigPath(path)
    if (stats === undefined) continue // removed while we listed: nothing to read
    if (!name.toLowerCase().endsWith('.json')) {
      skipped.push({ name, why: 'not named *.json' })
    } else if (!name.endsWith('.json')) {
      throw new ConfigInvalid(
        `${path}: config file names end in lower-case .json: rename it to ${name.slice(0, -5)}.json, or remove it`,
        { file: path },
      )
    } else if (!stats.isFile()) {
      throw new ConfigInvalid(
        `${path}: named like a config file but not a regular file: rename or remove it`,
        { file: path },
      )
    } else {
      files.push(path)
    }
  }
  return { files, skipped }
}

/**
 * `stat` of a config path (symlinks followed); undefined when nothing is there. A symlink to nothing and any
 * other failure (EACCES, ELOOP) throw {@link ConfigInvalid}.
 *
 * @example
 * ```ts
 * const stats = statConfigPath('/etc/fedmsg.d') // undefined: no system-wide configuration
 * ```
 */
export function statConfigPath(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw unreadable(path, error)
  }
  if (lstatOrUndefined(path)?.isSymbolicLink() === true) {
    const message = `${path}: broken symlink (its target does not exist): fix it or remove it`
    throw new ConfigInvalid(message, { file: path })
  }
  return undefined
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch {
    return undefined
  }
}

function readNames(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch (error) {
    throw unreadable(dir, error)
  }
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function unreadable(path: string, error: unknown): ConfigInvalid {
  return new ConfigInvalid(
    `${path}: cannot read (${(error as Error).message}): check its permissions`,
    { file: path },
    { cause: error },
  )
}
