import { Option } from 'commander'
import type { FedmsgConfig } from '../config/config-types.js'

/** The levels `--log-level` and `log_level` accept, most verbose first. */
const LOG_LEVELS: readonly FedmsgConfig['log_level'][] = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'silent',
]

/**
 * `--log-level LEVEL` of a long-running command (hub, relay, tail, logger, demo); `whenAbsent` says in the
 * help what applies without it.
 *
 * @example
 * ```ts
 * program.command('hub').addOption(logLevelOption('log_level, info'))
 * ```
 */
export function logLevelOption(whenAbsent: string): Option {
  return new Option(
    '--log-level <level>',
    `log this level and above on stderr (default: ${whenAbsent})`,
  ).choices(LOG_LEVELS)
}
