import { join, resolve } from 'node:path'
import { ConfigInvalid, ConfigNotFound } from '../errors.js'
import { listConfigDir, statConfigPath, type SkippedEntry } from './config-dir-listing.js'

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
    const absolute = resolve(search.cwd, dir)
    const stats = statConfigPath(absolute)
    if (stats === undefined) continue
    if (!stats.isDirectory()) {
      throw new ConfigInvalid(
        `${dir}: config search path is not a directory: remove it or make it one`,
        { file: absolute },
      )
    }
    files.push(...listConfigDir(absolute).files)
  }
  if (search.envPath) files.push(...filesAt(search.cwd, search.envPath, '$FEDMSG_CONFIG'))
  if (search.configPath) files.push(...filesAt(search.cwd, search.configPath, '--config'))
  return files
}

/**
 * Throws ConfigNotFound when one of the search directories exists: call it when they yielded no config file,
 * before falling back on the dev defaults. A host with a configuration directory whose files were not
 * deployed, or not named `*.json`, must not run on the dev CA, whose private keys are public.
 */
export function assertNoBareSearchDir(search: Pick<ConfigFileSearch, 'cwd' | 'searchDirs'>) {
  for (const dir of search.searchDirs) {
    const absolute = resolve(search.cwd, dir)
    if (statConfigPath(absolute) === undefined) continue
    throw new ConfigNotFound(
      `${dir} exists but holds no config files (${describeSkipped(listConfigDir(absolute).skipped)}): ` +
        'put the configuration in NAME.json files there, or remove the directory to run on the dev defaults',
    )
  }
}

/**
 * A named file, or the `*.json` files of a named directory. Unlike a search directory, it must exist and
 * yield a file: a named configuration that yields nothing must not run on defaults (issue 19).
 */
function filesAt(cwd: string, path: string, namedBy: string): readonly string[] {
  const absolute = resolve(cwd, path)
  const stats = statConfigPath(absolute)
  if (stats === undefined) {
    throw new ConfigNotFound(
      `${namedBy} names ${path}, which does not exist: give an existing file or fedmsg.d directory`,
    )
  }
  if (!stats.isDirectory()) return [absolute]
  const { files, skipped } = listConfigDir(absolute)
  if (files.length > 0) return files
  throw new ConfigNotFound(
    `${namedBy} names ${path}, a directory without config files (${describeSkipped(skipped)}): ` +
      'put the configuration in NAME.json files there, or name the file itself',
  )
}

/** At most this many skipped entries are named; a directory may hold thousands. */
const SKIPPED_SHOWN = 5

function describeSkipped(skipped: readonly SkippedEntry[]): string {
  if (skipped.length === 0) return 'it is empty'
  const named = skipped.slice(0, SKIPPED_SHOWN).map(({ name, why }) => `${name} (${why})`)
  const more = skipped.length - named.length
  return `skipped ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}
