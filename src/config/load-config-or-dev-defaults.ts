import { resolve } from 'node:path'
import { devDefaults } from './dev-defaults.js'
import { findConfigFiles, standardSearchDirs } from './find-config-files.js'
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from './load-config.js'

/** A loaded configuration, and whether it is the embedded dev defaults because there was none. */
export interface ConfigOrDevDefaults extends LoadedConfig {
  /** True when no configuration was named and none was found, so {@link devDefaults} are in use. */
  readonly usingDevDefaults: boolean
}

/**
 * {@link loadConfig}, on {@link devDefaults} when no configuration was named (no `configPath`, no
 * `$FEDMSG_CONFIG`) and no search directory holds a file: a one-host bus on the bundled dev CA, so the
 * commands and the library work out of the box. The rule of the CLI and of `createPublisher`/`createHub`.
 * As soon as one file is named or found the dev defaults are not used at all, so a production
 * configuration never inherits a dev certificate.
 *
 * @example
 * ```ts
 * const { config, usingDevDefaults } = loadConfigOrDevDefaults({ configPath: flags.config })
 * ```
 */
export function loadConfigOrDevDefaults(options: LoadConfigOptions = {}): ConfigOrDevDefaults {
  const env = options.env ?? process.env
  const named = options.configPath !== undefined || Boolean(env.FEDMSG_CONFIG)
  const cwd = resolve(options.cwd ?? process.cwd())
  const usingDevDefaults =
    !named &&
    findConfigFiles({ cwd, searchDirs: options.searchDirs ?? standardSearchDirs(cwd, env) })
      .length === 0
  const loaded = loadConfig(usingDevDefaults ? { ...options, defaults: devDefaults() } : options)
  return { ...loaded, usingDevDefaults }
}
