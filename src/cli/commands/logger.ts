import { InvalidArgumentError, Option, type Command } from 'commander'
import { logLevelOption } from '../log-level-option.js'
import type { SendLogFlags } from '../send-log-messages.js'

function parseTimeout(value: string): number {
  const seconds = Number(value)
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('must be a number of seconds > 0')
  }
  return seconds
}

/**
 * `fedmsg logger --topic T [--modname M] (--message TEXT | --json-input) [--config PATH] [--cert-name NAME]
 * [--timeout S] [--log-level LEVEL]`: signs and sends messages on `<prefix>.<env>.<M|logger>.<T>` through the relay. Exit 0 when
 * the relay acknowledged every message; 1 when it rejected one or did not answer in time; 2 on a usage,
 * configuration or key error.
 */
export function registerLoggerCommand(program: Command): void {
  program
    .command('logger')
    .description('sign messages and send them through the relay; exit 0 once it acknowledged all')
    .requiredOption('--topic <topic>', 'the last topic tokens, e.g. cron.backup.complete')
    .option('--modname <name>', 'the service token of the topic (default: logger)')
    .addOption(
      new Option('--message <text>', 'send one message, body {"log": TEXT}').conflicts('jsonInput'),
    )
    .option('--json-input', 'send one message per stdin line, each a JSON object body')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--cert-name <name>', 'sign with certs.NAME of the configuration', 'logger')
    .option('--timeout <seconds>', 'wait this long for each acknowledgement', parseTimeout, 10)
    .addOption(logLevelOption('the log_level setting, info'))
    .action(async (flags: SendLogFlags) => {
      const { sendLogMessages } = await import('../send-log-messages.js')
      process.exitCode = await sendLogMessages(flags)
    })
}
