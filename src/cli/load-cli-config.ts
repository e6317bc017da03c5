import { resolve } from 'node:path'
import type { FedmsgConfig } from '../config/config-types.js'
import { devDefaults } from '../config/dev-defaults.js'
import { findConfigFiles, standardSearchDirs } from '../config/find-config-files.js'
import { loadConfig, type LoadedConfig } from '../config/load-config.js'

/** The configuration a bus command runs on, and whether it fell back to the bundled dev CA. */
export interface CliConfig extends LoadedConfig {
  /** True when no config file was found anywhere, so the embedded dev defaults are in use. */
  readonly usingDevDefaults: boolean
}

/**
 * What `--config PATH` and the standard search find (docs/configuration.md). When no file is found anywhere
 * (no `/etc/fedmsg.d`, `~/.config/fedmsg.d`, `./fedmsg.d`, `$FEDMSG_CONFIG` or `--config`), the commands run on
 * {@link devDefaults}: a one-host bus on the bundled dev CA, so `fedmsg relay` and `fedmsg tail` work out of
 * the box. As soon as one file exists the dev defaults are not used at all, so a production configuration
 * never inherits a dev certificate.
 *
 * `overrides` are command-line flags (`--metrics`, `--inbound`): validated like a file, highest precedence.
 *
 * @example
 * ```ts
 * const { config, usingDevDefaults } = loadCliConfig(flags.config, { metrics_address: flags.metrics })
 * ```
 */
export function loadCliConfig(
  configPath: string | undefined,
  overrides: Partial<FedmsgConfig> = {},
): CliConfig {
  const cwd = process.cwd()
  const found = findConfigFiles({
    cwd,
    searchDirs: standardSearchDirs(cwd, process.env),
    envPath: process.env.FEDMSG_CONFIG,
    configPath: configPath === undefined ? undefined : resolve(cwd, configPath),
  })
  const usingDevDefaults = found.length === 0
  const loaded = loadConfig({
    configPath,
    overrides,
    ...(usingDevDefaults ? { defaults: devDefaults() } : {}),
  })
  return { ...loaded, usingDevDefaults }
}
