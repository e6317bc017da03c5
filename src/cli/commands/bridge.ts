import type { Command } from 'commander'
import type { ServeLegacyBridgeFlags } from '../serve-legacy-bridge.js'
import type { ServeToLegacyBridgeFlags } from '../serve-to-legacy-bridge.js'
import { logLevelOption } from '../log-level-option.js'
import { collect } from './option-parsers.js'

/**
 * `fedmsg bridge legacy --connect ADDR ... --ca CA.pem [--crl CRL.pem] [--legacy-routing-policy POLICY.json]
 * [--nitpicky] --name NAME [--config PATH] [--log-level LEVEL]`: carries a Python fedmsg bus onto fedmsg/1
 * until SIGTERM/SIGINT (docs/migration.md). Exit 0 after a graceful stop; 2 when it cannot start.
 *
 * `fedmsg bridge to-legacy --bind ADDR ... --legacy-cert CERT.pem --legacy-key KEY.pem [--topic PATTERN ...]
 * [--connect ADDR ...] [--config PATH] [--log-level LEVEL]`: the reverse, fedmsg/1 onto a legacy PUB socket.
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
  bridge
    .command('to-legacy')
    .description(
      'verify the fedmsg/1 bus and republish its valid messages for Python fedmsg consumers',
    )
    .requiredOption(
      '--bind <address>',
      'a legacy PUB endpoint to bind, where Python fedmsg consumers connect; repeatable',
      collect,
    )
    .requiredOption(
      '--legacy-cert <file>',
      "the bridge's legacy certificate (Python fedmsg's ssldir/<certname>.crt)",
    )
    .requiredOption('--legacy-key <file>', 'its RSA private key (ssldir/<certname>.key, mode 600)')
    .option(
      '--topic <pattern>',
      'carry only these fedmsg/1 topics; repeatable (default: all)',
      collect,
    )
    .option(
      '--connect <address>',
      'a fedmsg/1 address to subscribe to; repeatable (default: the configured endpoints)',
      collect,
    )
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .addOption(logLevelOption('the log_level setting, info'))
    .action(async (flags: ServeToLegacyBridgeFlags) => {
      const { serveToLegacyBridge } = await import('../serve-to-legacy-bridge.js')
      await serveToLegacyBridge(flags)
    })
}
