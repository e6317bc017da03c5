import type { Command } from 'commander'
import type { ServeRelayFlags } from '../serve-relay.js'
import { logLevelOption } from '../log-level-option.js'
import { collect } from './option-parsers.js'

/** A repeatable flag; no default, so that help shows none. */
/**
 * `fedmsg relay [--config PATH] [--inbound ADDR] [--outbound ADDR] [--upstream ADDR ...] [--no-verify]
 * [--metrics HOST:PORT] [--log-level LEVEL]`: runs a relay until SIGTERM/SIGINT, logging to stderr. Exit 0 after a graceful
 * stop; 2 when it cannot start.
 */
export function registerRelayCommand(program: Command): void {
  program
    .command('relay')
    .description('forward verified messages from publishers and upstream relays to subscribers')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--inbound <address>', 'bind the socket publishers send to (default: relay_inbound)')
    .option(
      '--outbound <address>',
      'bind the socket subscribers read from (default: relay_outbound)',
    )
    .option(
      '--upstream <address>',
      'also forward from this PUB socket (another relay outbound); repeatable',
      collect,
    )
    .option('--no-verify', 'forward without verifying (a plain proxy; hubs still verify)')
    .option('--metrics <host:port>', 'serve /healthz and /metrics here (default: metrics_address)')
    .addOption(logLevelOption('the log_level setting, info'))
    .action(async (flags: Omit<ServeRelayFlags, 'upstream'> & { upstream?: string[] }) => {
      const { serveRelay } = await import('../serve-relay.js')
      await serveRelay({ ...flags, upstream: flags.upstream ?? [] })
    })
}
