import { readFileSync } from 'node:fs'
import type { FedmsgConfig } from '../config/config-types.js'
import { ConfigInvalid, ConfigNotFound } from '../errors.js'
import { LegacyBridge } from '../legacy/legacy-bridge.js'
import { LegacyRoutingPolicy } from '../legacy/legacy-routing-policy.js'
import { LegacyVerifier } from '../legacy/legacy-verifier.js'
import { CRL_POLL_INTERVAL_MS, CrlWatcher } from '../verification/crl-watcher.js'
import { createPublisher } from '../publisher/publisher.js'
import { warnAboutDevDefaults } from './dev-defaults-warning.js'
import { loadCliConfig } from './load-cli-config.js'
import { createCommandLogger } from './logging.js'
import { runUntilSignal } from './run-until-signal.js'

/** Flags of `fedmsg bridge legacy`. */
export interface ServeLegacyBridgeFlags {
  readonly connect: readonly string[]
  readonly ca: string
  readonly crl?: string
  readonly legacyRoutingPolicy?: string
  readonly nitpicky?: boolean
  readonly name: string
  readonly config?: string
  readonly logLevel?: FedmsgConfig['log_level']
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigNotFound(`cannot read ${what} ${path}: check the path and its permissions`, {
      cause: error,
    })
  }
}

function readLegacyPolicy(path: string | undefined, nitpicky: boolean): LegacyRoutingPolicy {
  if (path === undefined) return LegacyRoutingPolicy.fromJson({}, nitpicky)
  const text = readText(path, 'legacy routing policy')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ConfigInvalid(
      `legacy routing policy ${path} is not JSON`,
      { file: path },
      { cause: error },
    )
  }
  return LegacyRoutingPolicy.fromJson(json, nitpicky, path)
}

/**
 * Runs `fedmsg bridge legacy` until SIGTERM/SIGINT: subscribes to the legacy endpoints, verifies with the
 * legacy CA, CRL and routing policy (SHA-1 accepted on this path: the command is the opt-in), and republishes
 * what verifies as service `name`. Startup failures throw (ConfigNotFound, CertInvalid, …): exit status 2.
 */
export async function serveLegacyBridge(flags: ServeLegacyBridgeFlags): Promise<void> {
  const loaded = loadCliConfig(flags.config, { log_level: flags.logLevel })
  const { config } = loaded
  const log = createCommandLogger('fedmsg-bridge', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const verifier = new LegacyVerifier({
    acceptSha1: true,
    caCerts: [readText(flags.ca, 'legacy CA certificate')],
    crls: flags.crl === undefined ? [] : [readText(flags.crl, 'legacy CRL')],
    policy: readLegacyPolicy(flags.legacyRoutingPolicy, flags.nitpicky === true),
  })
  const publisher = await createPublisher({ name: flags.name, config, logger: log })
  // Reloaded as a hub reloads its own, so a legacy service revoked after the bridge started is refused.
  const crlWatcher = await CrlWatcher.watch(flags.crl === undefined ? [] : [flags.crl], verifier, {
    intervalMs: CRL_POLL_INTERVAL_MS,
    logger: log,
  })
  const bridge = LegacyBridge.start({ endpoints: flags.connect, verifier, publisher, logger: log })
  const cause = await runUntilSignal(
    async () => {
      await bridge.close()
      await publisher.close()
      await crlWatcher?.close()
    },
    {
      onStarted: () =>
        log.info(
          { legacy: flags.connect, name: flags.name, endpoints: publisher.endpoints },
          'bridge started',
        ),
      onStop: (signal) => log.info({ signal }, 'bridge stopping'),
    },
  )
  log.info({ cause, ...bridge.stats() }, 'bridge stopped')
}
