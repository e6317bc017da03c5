import { Option, type Command } from 'commander'
import type { FedmsgConfig } from '../../config/config-types.js'
import { logLevelOption } from '../log-level-option.js'
import type { TailFlags } from '../tail-bus.js'
import { collect } from './option-parsers.js'

/** A repeatable flag; no default, so that help shows none. */
interface TailOptions {
  config?: string
  topic?: string[]
  exclude?: string[]
  connect?: string[]
  showRejected?: boolean
  pretty?: boolean
  terse?: boolean
  json?: boolean
  logLevel?: FedmsgConfig['log_level']
}

/**
 * `fedmsg tail [--config PATH] [--topic PATTERN ...] [--exclude PATTERN ...] [--pretty|--terse|--json]
 * [--show-rejected] [--connect ADDR ...] [--log-level LEVEL]`: prints verified messages (and, with --show-rejected, rejected
 * ones with their reason) until SIGINT/SIGTERM. Exit 0; 2 on a usage or configuration error.
 */
export function registerTailCommand(program: Command): void {
  program
    .command('tail')
    .description('verify and print the messages on the bus, with their signer')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option(
      '--topic <pattern>',
      'print only topics matching, and those below them; repeatable (* one token, > the rest)',
      collect,
    )
    .option('--exclude <pattern>', 'do not print topics matching; repeatable', collect)
    .addOption(
      new Option('--pretty', 'readable multi-line output (default)').conflicts(['terse', 'json']),
    )
    .addOption(
      new Option('--terse', 'one line per message: time signer topic summary [link]').conflicts(
        'json',
      ),
    )
    .option('--json', 'one JSON object per line: {ok, topic, signer, msg_id, i, timestamp, body}')
    .option('--show-rejected', 'also print rejected messages and the reason')
    .option(
      '--connect <address>',
      'subscribe here instead of relay_outbound and every endpoint; repeatable',
      collect,
    )
    .addOption(logLevelOption('the log_level setting, info'))
    .action(async (options: TailOptions) => {
      const { tailBus } = await import('../tail-bus.js')
      const flags: TailFlags = {
        ...(options.config === undefined ? {} : { config: options.config }),
        ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
        topic: options.topic ?? [],
        exclude: options.exclude ?? [],
        connect: options.connect ?? [],
        showRejected: options.showRejected === true,
        format: options.json ? 'json' : options.terse ? 'terse' : 'pretty',
      }
      await tailBus(flags)
    })
}
