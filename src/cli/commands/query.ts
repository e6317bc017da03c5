import { Option, type Command } from 'commander'
import { collect, positive } from './option-parsers.js'

/** Flags of `fedmsg query`. */
export interface QueryCommandOptions {
  db?: string
  config?: string
  topic?: string[]
  signer?: string[]
  user?: string[]
  package?: string[]
  since?: string
  until?: string
  contains?: string[]
  limit: number
  order: 'asc' | 'desc'
  json?: boolean
  pretty?: boolean
}

/**
 * `fedmsg query [--db URL] [--topic PATTERN]... [--signer CN]... [--user NAME]... [--package NAME]... [--since T]
 * [--until T] [--contains TEXT]... [--limit N] [--order asc|desc] [--json|--pretty]`: prints stored messages,
 * one line each (with `--json`, one JSON object per line carrying the stored envelope; with `--pretty`, time,
 * topic, signer and summary, coloured on a terminal). Exit 0; 2 on a usage or configuration error.
 */
export function registerQueryCommand(program: Command): void {
  program
    .command('query')
    .description('print stored messages (fedmsg store) matching the filters')
    .option('--db <url>', 'sqlite:PATH or postgres://… (default: store.db, else sqlite:fedmsg.db)')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--topic <pattern>', 'topic pattern (* one token, > the rest); repeatable', collect)
    .option('--signer <cn>', 'signer certificate CN; repeatable', collect)
    .option('--user <name>', "a user the message's summary names; repeatable", collect)
    .option('--package <name>', "a package the message's summary names; repeatable", collect)
    .option('--since <time>', 'from this time: ISO 8601 or epoch seconds')
    .option('--until <time>', 'before this time: ISO 8601 or epoch seconds')
    .option('--contains <text>', 'envelope contains this text; repeatable', collect)
    .option('--limit <n>', 'most messages printed', positive, 100)
    .option('--order <order>', 'asc (oldest first) or desc', 'desc')
    .option('--json', 'one JSON object per line, with the stored envelope')
    .addOption(
      new Option('--pretty', 'one line per message: time, topic, signer, summary').conflicts(
        'json',
      ),
    )
    .action(async (options: QueryCommandOptions) => {
      const { runQuery } = await import('../../store/run-query.js')
      await runQuery(options)
    })
}
