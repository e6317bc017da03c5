import type { Logger } from 'pino'
import { BUNDLED_DEV_CA_DIR } from '../config/bundled-dev-ca.js'

/**
 * Says, in a long-running command's log, that no config file was found and the embedded dev defaults (and
 * with them the bundled dev CA, whose private keys are public) are in use.
 *
 * @example
 * ```ts
 * if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
 * ```
 */
export function warnAboutDevDefaults(log: Logger): void {
  log.warn(
    { devCa: BUNDLED_DEV_CA_DIR },
    'no config file found: running on the dev defaults and the bundled dev CA, whose private keys are ' +
      'public; write /etc/fedmsg.d/*.json or pass --config for a real bus',
  )
}
