import { isAbsolute } from 'node:path'
import { formatKeyPath } from './config-key-path.js'
import { CONFIG_KEYS } from './config-schema.js'
import type { LoadedConfig } from './load-config.js'
import { PER_ENTRY_KEYS } from './merge-config.js'
import { originOf } from './read-config-file.js'

/** The widest `key = value` column before the `# from` comments stop being aligned. */
const ALIGN_MAX = 60

/**
 * A readable listing of a loaded configuration, one `key = value    # from FILE` line per top-level key in
 * schema order, and one per entry of the per-entry maps (`endpoints.bodhi = [...]`). Values are JSON; files are
 * shown relative to `cwd` when below it.
 *
 * @example
 * ```ts
 * process.stdout.write(formatConfigListing(loadConfig(), process.cwd()))
 * ```
 */
export function formatConfigListing(loaded: LoadedConfig, cwd: string): string {
  const config = loaded.config as unknown as Record<string, unknown>
  const rows: [string, string][] = []
  const row = (key: string, value: unknown) =>
    rows.push([`${key} = ${JSON.stringify(value)}`, describeSource(loaded.sources[key], cwd)])
  for (const key of CONFIG_KEYS) {
    const value = config[key]
    if (value === undefined) continue
    const entries = Object.entries(value as Record<string, unknown>)
    if (PER_ENTRY_KEYS.has(key) && entries.length > 0) {
      for (const [entry, entryValue] of entries) row(formatKeyPath([key, entry]), entryValue)
    } else {
      row(key, value)
    }
  }
  const width = Math.min(ALIGN_MAX, Math.max(...rows.map(([left]) => left.length)))
  return rows.map(([left, right]) => `${left.padEnd(width)}    # ${right}\n`).join('')
}

function describeSource(source: string | undefined, cwd: string): string {
  if (source === undefined || source === 'default') return 'default'
  if (source === 'dev-defaults') return 'dev default (no config file found)'
  return `from ${isAbsolute(source) ? originOf(source, cwd).display : source}`
}
