import type { FedmsgConfig } from '../config/config-types.js'
import {
  loadConfigOrDevDefaults,
  type ConfigOrDevDefaults,
} from '../config/load-config-or-dev-defaults.js'

/** The configuration a bus command runs on, and whether it fell back to the bundled dev CA. */
export type CliConfig = ConfigOrDevDefaults

/**
 * What `--config PATH` and the standard search find (docs/configuration.md). When no configuration is named
 * (no `--config`, no `$FEDMSG_CONFIG`) and none is found (no `/etc/fedmsg.d`, `~/.config/fedmsg.d`,
 * `./fedmsg.d`), the commands run on the dev defaults ({@link loadConfigOrDevDefaults}), so `fedmsg relay`
 * and `fedmsg tail` work out of the box.
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
  return loadConfigOrDevDefaults({ configPath, overrides })
}
