import { readdirSync, statSync, type Stats } from 'node:fs'
import { join, resolve } from 'node:path'
import { ConfigInvalid, ConfigNotFound } from '../errors.js'

/** The system-wide search directory, read first. */
export const SYSTEM_CONFIG_DIR = '/etc/fedmsg.d'

/**
 * The standard search list, lowest precedence first: `/etc/fedmsg.d`, `$HOME/.config/fedmsg.d`,
 * `./fedmsg.d`. A missing directory is skipped.
 */
export function standardSearchDirs(cwd: string, env: NodeJS.ProcessEnv): string[] {
  const dirs = [SYSTEM_CONFIG_DIR]
  if (env.HOME) dirs.push(join(env.HOME, '.config', 'fedmsg.d'))
  dirs.push(join(cwd, 'fedmsg.d'))
  return dirs
}

export interface ConfigFileSearch {
  readonly cwd: string
  readonly searchDirs: readonly string[]
  /** `$FEDMSG_CONFIG`: a file or a directory, after the search directories. */
  readonly envPath?: string
  /** `--config`: a file or a directory, last. */
  readonly configPath?: string
}

/** Every config file to merge, lowest precedence first. */
export function findConfigFiles(search: ConfigFileSearch): string[] {
  const files: string[] = []
  for (const dir of search.searchDirs) {
    const stats = statOrUndefined(resolve(search.cwd, dir))
    if (stats === undefined) continue
    if (!stats.isDirectory()) {
      throw new ConfigInvalid(
        `${dir}: config search path is not a directory: remove it or make it one`,
        {
          file: resolve(search.cwd, dir),
        },
      )
    }
    files.push(...jsonFilesIn(resolve(search.cwd, dir)))
  }
  if (search.envPath) files.push(...filesAt(search.cwd, search.envPath, '$FEDMSG_CONFIG'))
  if (search.configPath) files.push(...filesAt(search.cwd, search.configPath, '--config'))
  return files
}

/** A named file, or the `*.json` files of a named directory. Unlike a search directory, it must exist. */
function filesAt(cwd: string, path: string, namedBy: string): string[] {
  const absolute = resolve(cwd, path)
  const stats = statOrUndefined(absolute)
  if (stats === undefined) {
    throw new ConfigNotFound(
      `${namedBy} names ${path}, which does not exist: give an existing file or fedmsg.d directory`,
    )
  }
  return stats.isDirectory() ? jsonFilesIn(absolute) : [absolute]
}

/**
 * The `*.json` files of `dir` in lexical (code point) order, so that `10-bus.json` is read before
 * `20-local.json` whatever the locale. Hidden files (editor backups) and subdirectories are skipped.
 */
function jsonFilesIn(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    throw unreadable(dir, error)
  }
  return names
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(dir, name))
    .filter((file) => statOrUndefined(file)?.isFile() === true)
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw unreadable(path, error)
  }
}

function unreadable(path: string, error: unknown): ConfigInvalid {
  return new ConfigInvalid(
    `${path}: cannot read (${(error as Error).message}): check its permissions`,
    { file: path },
    { cause: error },
  )
}
