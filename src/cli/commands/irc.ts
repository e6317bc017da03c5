import { InvalidArgumentError, Option, type Command } from 'commander'
import type { IrcChannel } from '../../consumers/irc/irc-options.js'
import { collect, positive } from './option-parsers.js'

const rate = (value: string): number => {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('not a positive number')
  return n
}

/** `--channel '#name=PATTERN[,PATTERN...]'`; a bare `#name` gets every message (a firehose). */
const channel = (value: string, previous: IrcChannel[] = []): IrcChannel[] => {
  const at = value.indexOf('=')
  const name = at === -1 ? value : value.slice(0, at)
  const topics =
    at === -1
      ? ['>']
      : value
          .slice(at + 1)
          .split(',')
          .filter(Boolean)
  if (!/^[#&]/.test(name)) throw new InvalidArgumentError('a channel starts with # or &')
  if (topics.length === 0) throw new InvalidArgumentError('no topic pattern after =')
  return [...previous, { name, topics }]
}

interface IrcCommandOptions {
  server: string
  port?: number
  nick?: string
  channel: IrcChannel[]
  tls?: boolean
  tlsVerify: boolean
  saslAccount?: string
  saslPassword?: string
  colour: boolean
  rate?: number
  burst?: number
  queueSize?: number
  maxLineBytes?: number
  config?: string
  connect?: string[]
  metrics?: string
}

/**
 * `fedmsg irc --server HOST --channel '#name[=PATTERNS]' ... [options]`: posts a summary line per verified
 * message to IRC channels. Exit 0 after a graceful stop; 2 on a usage or configuration error.
 */
export function registerIrcCommand(program: Command): void {
  program
    .command('irc')
    .description('post a one-line summary of each verified message to IRC channels')
    .requiredOption('--server <host>', 'the IRC server')
    .option('--port <n>', 'its port (default 6667, 6697 with --tls)', positive)
    .option(
      '--nick <nick>',
      'the bot nick; _ or a number is appended while in use (default fedmsg)',
    )
    .requiredOption(
      '--channel <#name[=patterns]>',
      'a channel and its comma-separated topic patterns (none: every message); repeatable',
      channel,
    )
    .option('--tls', 'connect with TLS')
    .option('--no-tls-verify', 'accept a TLS server certificate that does not verify (tests only)')
    .option('--sasl-account <name>', 'log in with SASL PLAIN as this account')
    .addOption(
      new Option('--sasl-password <password>', 'its password (environment only)')
        .env('FEDMSG_IRC_SASL_PASSWORD')
        .hideHelp(),
    )
    .option('--no-colour', 'no IRC colour on service names')
    .option('--rate <lines/s>', 'lines per second once the burst is spent (default 1)', rate)
    .option('--burst <n>', 'lines sent at once before the rate applies (default 4)', positive)
    .option(
      '--queue-size <n>',
      'lines waiting to be sent; more are dropped (default 200)',
      positive,
    )
    .option('--max-line-bytes <n>', 'longer lines are cut with … (default 400)', positive)
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--metrics <host:port>', 'serve /healthz and /metrics here (default: metrics_address)')
    .option(
      '--connect <address>',
      'subscribe here instead of relay_outbound and every endpoint; repeatable',
      collect,
    )
    .action(async (options: IrcCommandOptions) => {
      const { serveIrc } = await import('../../consumers/irc/serve-irc.js')
      const optional = <K extends keyof IrcCommandOptions, T extends string>(key: K, as: T) =>
        (options[key] === undefined ? {} : { [as]: options[key] }) as Record<T, never>
      await serveIrc({
        host: options.server,
        channels: options.channel,
        connect: options.connect ?? [],
        tls: options.tls === true,
        tlsVerify: options.tlsVerify,
        colour: options.colour,
        ...optional('port', 'port'),
        ...optional('nick', 'nick'),
        ...optional('saslAccount', 'saslAccount'),
        ...optional('saslPassword', 'saslPassword'),
        ...optional('rate', 'linesPerSecond'),
        ...optional('burst', 'burst'),
        ...optional('queueSize', 'queueSize'),
        ...optional('maxLineBytes', 'maxLineBytes'),
        ...optional('config', 'config'),
        ...optional('metrics', 'metrics'),
      })
    })
}
