import { createRequire } from 'node:module'
import { pino, type Logger } from 'pino'
import type PinoPretty from 'pino-pretty'
import type { FedmsgConfig } from '../config/config-types.js'

/** How a command's log lines look: `pretty` for a person at a terminal, `json` for journald, files, pipes. */
export type LogFormat = 'pretty' | 'json'

/**
 * The log format for an output stream: human-readable when it is a terminal, one JSON object per line
 * otherwise (what `journalctl -o cat | jq` and log shippers read).
 *
 * @example
 * ```ts
 * chooseLogFormat(process.stderr) // 'pretty' in a terminal, 'json' under systemd
 * ```
 */
export function chooseLogFormat(stream: { readonly isTTY?: boolean }): LogFormat {
  return stream.isTTY === true ? 'pretty' : 'json'
}

/**
 * The log of a command (`hub`, `relay`, `tail`, `logger`, `demo`) at `level`: always on standard error,
 * so that standard output carries only what the command produces (tail's messages, the demo's display).
 * Each line has `name` (the command), `pid`, `hostname` and an ISO 8601 `time`; pino-pretty renders them on
 * a terminal (see {@link chooseLogFormat}). Writes are synchronous, so nothing is lost when the process
 * exits after a signal.
 *
 * @example
 * ```ts
 * const log = createCommandLogger('fedmsg-hub', config.log_level)
 * log.info({ metrics: 'http://127.0.0.1:9464/metrics' }, 'hub started')
 * ```
 */
export function createCommandLogger(name: string, level: FedmsgConfig['log_level']): Logger {
  const options = { name, level, timestamp: pino.stdTimeFunctions.isoTime }
  if (chooseLogFormat(process.stderr) === 'json') {
    return pino(options, pino.destination({ dest: 2, sync: true }))
  }
  // Loaded only for a terminal: `fedmsg logger` run from scripts and cron does not pay for it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty
  return pino(
    options,
    pretty({
      destination: 2,
      sync: true,
      // The terminal's own answer (it honours NO_COLOR and FORCE_COLOR), not stdout's, which may be a pipe.
      colorize: process.stderr.hasColors?.() ?? false,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    }),
  )
}
