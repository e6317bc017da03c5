import type { FedmsgConfig } from '../config/config-types.js'
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from '../config/load-config.js'

/** A configuration as the transport factories take it: loaded (with sources) or a plain object. */
export type ConfigInput = LoadedConfig | FedmsgConfig

/**
 * The configuration to use: `config` when given (a plain object is used as is, so its file paths must be
 * absolute), else the one `loadConfig(configOptions)` finds.
 */
export function resolveConfig(
  config?: ConfigInput,
  configOptions?: LoadConfigOptions,
): FedmsgConfig {
  if (config === undefined) return loadConfig(configOptions).config
  return isLoadedConfig(config) ? config.config : config
}

function isLoadedConfig(config: ConfigInput): config is LoadedConfig {
  return 'sources' in config && 'config' in config
}
