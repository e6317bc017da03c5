import type { Command } from 'commander'
import type { ServeHubFlags } from '../serve-hub.js'
import { logLevelOption } from '../log-level-option.js'

/**
 * `fedmsg hub [--config PATH] [--metrics HOST:PORT] [--log-level LEVEL] [--init-state]`: runs a hub until
 * SIGTERM/SIGINT, logging to stderr; with `--init-state`, initialises the replay journal of a new installation
 * and exits.
 * Exit 0 after a graceful stop; 2 when it cannot start (address in use, missing CA file, bad config).
 */
export function registerHubCommand(program: Command): void {
  program
    .command('hub')
    .description('verify every message on the bus and run the configured consumers')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--metrics <host:port>', 'serve /healthz and /metrics here (default: metrics_address)')
    .addOption(logLevelOption('the log_level setting, info'))
    .option(
      '--init-state',
      'create the replay journal of a new installation (state_dir) and exit: run once at install, so the first start does not refuse one clock skew of traffic',
    )
    .action(async (flags: ServeHubFlags) => {
      // Loaded on use, so that short commands (`fedmsg logger`) start fast.
      const { serveHub } = await import('../serve-hub.js')
      await serveHub(flags)
    })
}
