import { dirname, isAbsolute, resolve } from 'node:path'
import { ConfigInvalid } from '../errors.js'
import { BUNDLED_DEV_CA_DIR } from './bundled-dev-ca.js'
import { DEFAULT_CONFIG, type FedmsgConfig } from './config-types.js'
import { assertNoDevCaInProd } from './dev-ca-guard.js'
import { devDefaults } from './dev-defaults.js'
import { assertNoBareSearchDir, findConfigFiles, standardSearchDirs } from './find-config-files.js'
import { mergeLayers, type ConfigLayer } from './merge-config.js'
import { originOf, readConfigFile } from './read-config-file.js'
import { resolveConfigPaths } from './resolve-config-paths.js'
import { validateConfig } from './validate-config.js'

export interface LoadConfigOptions {
  /** `--config PATH`: a file or a fedmsg.d directory, highest precedence of the files. */
  configPath?: string
  /** For `./fedmsg.d` and relative paths in options (default `process.cwd()`). */
  cwd?: string
  /** For `$FEDMSG_CONFIG` and `HOME` (default `process.env`). */
  env?: NodeJS.ProcessEnv
  /** Replaces the standard search list `/etc/fedmsg.d`, `~/.config/fedmsg.d`, `./fedmsg.d` (tests). */
  searchDirs?: readonly string[]
  /** Programmatic values, highest precedence (source "options"). */
  overrides?: Partial<FedmsgConfig>
  /** The values files override (source "default"); default {@link DEFAULT_CONFIG}, or {@link devDefaults}. */
  defaults?: FedmsgConfig
  /**
   * Use {@link devDefaults} instead of `defaults` when no configuration was named (`configPath`,
   * `$FEDMSG_CONFIG`) and no file was found, as the CLI does; their source is then "dev-defaults".
   */
  devDefaultsWhenUnconfigured?: boolean
  /** The dev CA bundle a `prod` configuration must not use; default the one shipped in the package (tests). */
  devCaDir?: string
}

export interface LoadedConfig {
  /** Merged and validated; every file path absolute, resolved against the directory of the file naming it. */
  readonly config: FedmsgConfig
  /**
   * Top-level key → the file that last set it, or "default"/"dev-defaults"/"options". Entries of the per-entry maps have
   * their own (`endpoints.bodhi`).
   */
  readonly sources: Readonly<Record<string, string>>
  /** True when no file was found and `devDefaultsWhenUnconfigured` put the bundled dev CA in use. */
  readonly usingDevDefaults: boolean
}

/**
 * Reads, validates and merges the fedmsg configuration (docs/configuration.md): defaults, then the `*.json`
 * files of `/etc/fedmsg.d`, `~/.config/fedmsg.d`, `./fedmsg.d` in lexical order, then `$FEDMSG_CONFIG`, then
 * `configPath`, then `overrides`. Later wins; `endpoints`, `certs` and `schemas` merge per entry.
 *
 * @throws ConfigInvalid - a file is not JSON or breaks the schema (the message names file and key).
 * @throws ConfigNotFound - `$FEDMSG_CONFIG` or `configPath` does not exist.
 * @throws DevCaInProd - environment `prod` with the bundled dev CA trusted or its certificates configured.
 * @example
 * ```ts
 * const { config, sources } = loadConfig({ configPath: '/srv/bus/fedmsg.d' })
 * console.log(config.max_age_seconds, sources.max_age_seconds)
 * ```
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = resolve(options.cwd ?? process.cwd())
  const env = options.env ?? process.env
  const searchDirs = options.searchDirs ?? standardSearchDirs(cwd, env)
  const files = findConfigFiles({
    cwd,
    searchDirs,
    envPath: env.FEDMSG_CONFIG,
    configPath: options.configPath,
  })
  // A named configuration yields a file or throws, so no file means nothing was named or found.
  const usingDevDefaults = options.devDefaultsWhenUnconfigured === true && files.length === 0
  if (usingDevDefaults) assertNoBareSearchDir({ cwd, searchDirs })
  const defaults = usingDevDefaults
    ? devDefaults(options.devCaDir)
    : (options.defaults ?? DEFAULT_CONFIG)
  const layers: ConfigLayer[] = [
    {
      source: usingDevDefaults ? 'dev-defaults' : 'default',
      values: resolveConfigPaths({ ...defaults }, cwd),
    },
  ]
  for (const file of files) {
    const origin = originOf(file, cwd)
    const values = readConfigFile(origin)
    validateConfig(values, 'file', origin)
    layers.push({
      source: file,
      values: resolveConfigPaths(values as Record<string, unknown>, dirname(file)),
    })
  }
  if (options.overrides !== undefined) {
    const values = plainOverrides(options.overrides)
    validateConfig(values, 'file', { file: undefined, display: 'options' })
    layers.push({ source: 'options', values: resolveConfigPaths(values, cwd) })
  }
  const { merged, sources } = mergeLayers(layers)
  validateConfig(merged, 'merged', { file: undefined, display: 'merged configuration' })
  const config = deepFreeze(structuredClone(merged) as unknown as FedmsgConfig)
  assertNoDevCaInProd(config, options.devCaDir ?? BUNDLED_DEV_CA_DIR, (key) => {
    const source = sources[key] ?? 'default'
    return isAbsolute(source) ? originOf(source, cwd).display : source
  })
  return { config, sources: Object.freeze(sources), usingDevDefaults }
}

/** A JSON copy of the overrides: the round trip drops `undefined` members, which JSON Schema cannot see. */
function plainOverrides(overrides: Partial<FedmsgConfig>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(overrides)) as Record<string, unknown>
  } catch (error) {
    // JSON.stringify recurses: a value nested deeper than the stack is not a configuration (issue 19.9).
    if (!(error instanceof RangeError)) throw error
    throw new ConfigInvalid(
      'options: nested too deeply to be a configuration',
      {},
      { cause: error },
    )
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member)
    Object.freeze(value)
  }
  return value
}
