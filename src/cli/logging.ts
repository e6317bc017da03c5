import { pino, type Logger } from 'pino'
import type { FedmsgConfig } from '../config/config-types.js'

/**
 * The structured log of a long-running command (`hub`, `relay`): one JSON object per line on stdout (pino),
 * at the configuration's `log_level`, each line carrying `name` (the command), `pid`, `hostname` and an
 * ISO 8601 `time`. Writes are synchronous, so nothing is lost when the process exits after a signal.
 *
 * @example
 * ```ts
 * const log = createCommandLogger('fedmsg-hub', config.log_level)
 * log.info({ metrics: 'http://127.0.0.1:9464/metrics' }, 'hub started')
 * ```
 */
export function createCommandLogger(name: string, level: FedmsgConfig['log_level']): Logger {
  return pino(
    { name, level, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 1, sync: true }),
  )
}
