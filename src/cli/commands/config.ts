import type { Command } from 'commander'
import { formatConfigListing } from '../../config/config-listing.js'
import { lookupConfigValue } from '../../config/config-key-path.js'
import { withoutSecrets } from '../../config/config-redaction.js'
import type { FedmsgConfig } from '../../config/config-types.js'
import { EXIT } from '../exit-codes.js'
import { loadCliConfig } from '../load-cli-config.js'
import { registerConfigImportLegacy } from './config-import-legacy.js'

interface ConfigFlags {
  key?: string
  json?: boolean
  config?: string
}

/**
 * `fedmsg config [--key K] [--json] [--config PATH]`: prints the configuration the other commands run on (the
 * same {@link loadCliConfig}, dev defaults included) and where each value came from. Exit 0; 1 when `--key`
 * names no value; 2 when the configuration is invalid.
 */
export function registerConfigCommand(program: Command): void {
  const config = program
    .command('config')
    .description('print the merged configuration and the file each value came from')
    .option(
      '--key <key>',
      'print only this value (dotted path, e.g. endpoints.bodhi); exit 1 if absent',
    )
    .option('--json', 'print JSON: {"config", "sources"}, or the value of --key')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .action((flags: ConfigFlags) => {
      const loaded = loadCliConfig(flags.config)
      if (loaded.usingDevDefaults) process.stderr.write(DEV_DEFAULTS_NOTICE)
      // A secret is printed only when --key names it, never as part of a wider listing.
      const shown = { ...loaded, config: withoutSecrets(loaded.config) }
      if (flags.key !== undefined) {
        printKey(
          namesSecret(flags.key) ? loaded.config : shown.config,
          flags.key,
          flags.json === true,
        )
      } else if (flags.json) {
        const { config, sources } = shown
        process.stdout.write(`${JSON.stringify({ config, sources }, null, 2)}\n`)
      } else {
        process.stdout.write(formatConfigListing(shown, process.cwd()))
      }
    })
  registerConfigImportLegacy(config)
}

/** On stderr, so that `--json` and `--key` output stays parseable. */
const DEV_DEFAULTS_NOTICE =
  'fedmsg: no config file found: these are the dev defaults the bus commands run on, with the bundled ' +
  'dev CA, whose private keys are public; write /etc/fedmsg.d/*.json or pass --config for a real bus\n'

function namesSecret(key: string): boolean {
  return key.endsWith('.secret_key')
}

function printKey(config: FedmsgConfig, key: string, json: boolean): void {
  const found = lookupConfigValue(config, key)
  if (!found.found) {
    process.stderr.write(`fedmsg: no configuration value at "${key}"\n`)
    process.exitCode = EXIT.rejected
    return
  }
  const { value } = found
  const text = typeof value === 'string' && !json ? value : JSON.stringify(value, null, 2)
  process.stdout.write(`${text}\n`)
}
