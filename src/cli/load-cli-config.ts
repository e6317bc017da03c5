import type { FedmsgConfig } from '../config/config-types.js'
import { loadConfig, type LoadedConfig } from '../config/load-config.js'

/**
 * The configuration every command runs on (docs/configuration.md, "Dev defaults"); `fedmsg config` prints
 * this very result. When no configuration is named (`--config`, `$FEDMSG_CONFIG`) and no file is found
 * (`/etc/fedmsg.d`, `~/.config/fedmsg.d`, `./fedmsg.d`), it is {@link devDefaults}: a one-host bus on the
 * bundled dev CA, so `fedmsg relay` and `fedmsg tail` work out of the box. As soon as one file exists the dev
 * defaults are not used at all, so a production configuration never inherits a dev certificate; and a named
 * configuration that yields no file is an error, never the dev defaults.
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
): LoadedConfig {
  return loadConfig({ configPath, overrides, devDefaultsWhenUnconfigured: true })
}
