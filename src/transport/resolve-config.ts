import type { FedmsgConfig } from '../config/config-types.js'
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from '../config/load-config.js'

/** A configuration as the transport factories take it: loaded (with sources) or a plain object. */
export type ConfigInput = LoadedConfig | FedmsgConfig

/** Set once the dev-defaults warning was emitted: one per process, however many components start. */
let warnedAboutDevDefaults = false

/**
 * The configuration to use: `config` when given (a plain object is used as is, so its file paths must be
 * absolute), else the one `loadConfig(configOptions)` finds; with none named and none found, the embedded
 * dev defaults, as the CLI does, with a process warning (`FEDMSG_DEV_DEFAULTS`, once) on stderr.
 */
export function resolveConfig(
  config?: ConfigInput,
  configOptions?: LoadConfigOptions,
): FedmsgConfig {
  if (config !== undefined) return isLoadedConfig(config) ? config.config : config
  const loaded = loadConfig({ ...configOptions, devDefaultsWhenUnconfigured: true })
  if (loaded.usingDevDefaults && !warnedAboutDevDefaults) {
    warnedAboutDevDefaults = true
    process.emitWarning(
      'no fedmsg configuration named or found: running on the dev defaults and the bundled dev CA, ' +
        'whose private keys are public; write /etc/fedmsg.d/*.json, set $FEDMSG_CONFIG or pass ' +
        'configOptions.configPath for a real bus',
      { type: 'FedmsgWarning', code: 'FEDMSG_DEV_DEFAULTS' },
    )
  }
  return loaded.config
}

function isLoadedConfig(config: ConfigInput): config is LoadedConfig {
  return 'sources' in config && 'config' in config
}
