import type { Command } from 'commander'
import type { ServeLegacyBridgeFlags } from '../serve-legacy-bridge.js'
import { logLevelOption } from '../log-level-option.js'
import { collect } from './option-parsers.js'

/** A repeatable flag; no default, so that help shows none. */
/**
 * `fedmsg bridge legacy --connect ADDR ... --ca CA.pem [--crl CRL.pem] [--legacy-routing-policy POLICY.json]
 * [--nitpicky] --name NAME [--config PATH] [--log-level LEVEL]`: carries a Python fedmsg bus onto fedmsg/1
 * until SIGTERM/SIGINT (docs/migration.md). Exit 0 after a graceful stop; 2 when it cannot start.
 */
export function registerBridgeCommand(program: Command): void {
  const bridge = program
    .command('bridge')
    .description('carry messages between a Python fedmsg (legacy) bus and fedmsg/1')
  bridge
    .command('legacy')
    .description('verify a Python fedmsg bus and republish its valid messages on fedmsg/1')
    .requiredOption(
      '--connect <address>',
      'a legacy PUB endpoint to subscribe to; repeatable',
      collect,
    )
    .requiredOption('--ca <file>', "the legacy CA certificate (Python fedmsg's ca_cert_location)")
    .option('--crl <file>', "the legacy CRL (Python fedmsg's crl_location)")
    .option(
      '--legacy-routing-policy <file>',
      "Python fedmsg's routing_policy as JSON: topic → list of certificate CNs",
    )
    .option('--nitpicky', 'routing_nitpicky: refuse topics the legacy policy does not list')
    .requiredOption('--name <name>', "the bridge's fedmsg/1 service name (its certs and endpoints)")
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .addOption(logLevelOption('the log_level setting, info'))
    .action(async (flags: ServeLegacyBridgeFlags) => {
      const { serveLegacyBridge } = await import('../serve-legacy-bridge.js')
      await serveLegacyBridge(flags)
    })
}
