import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FedmsgConfig } from '../config/config-types.js'
import { assertValidTopicPattern } from '../crypto/policy/topic-pattern.js'
import { readPrivateKeyFile } from '../crypto/keys/key-file.js'
import { CertInvalid } from '../errors.js'
import { createHub } from '../hub/hub.js'
import { LegacySigner } from '../legacy/legacy-signer.js'
import { ToLegacyBridge } from '../legacy/to-legacy-bridge.js'
import { tuningFromConfig } from '../transport/socket-options.js'
import { warnAboutDevDefaults } from './dev-defaults-warning.js'
import { loadCliConfig } from './load-cli-config.js'
import { createCommandLogger } from './logging.js'
import { runUntilSignal } from './run-until-signal.js'
import { subscribeAddresses } from './subscribe-addresses.js'

/** Flags of `fedmsg bridge to-legacy`. */
export interface ServeToLegacyBridgeFlags {
  readonly bind: readonly string[]
  readonly legacyCert: string
  readonly legacyKey: string
  readonly topic?: readonly string[]
  readonly connect?: readonly string[]
  readonly config?: string
  readonly logLevel?: FedmsgConfig['log_level']
}

/** Every fedmsg/1 topic, heartbeats aside: what the bridge carries when no `--topic` is given. */
const ALL_TOPICS = '>'

/** The legacy signing identity; refuses a certificate that is not PEM or does not match the key. */
function legacySigner(certFile: string, keyFile: string): LegacySigner {
  const privateKey = readPrivateKeyFile(keyFile)
  let certificatePem: string
  try {
    certificatePem = readFileSync(certFile, 'latin1')
    if (!new X509Certificate(certificatePem).checkPrivateKey(privateKey)) {
      throw new CertInvalid(
        `legacy certificate ${certFile} is not the certificate of ${keyFile}: give the .crt and .key of one certname`,
      )
    }
  } catch (error) {
    if (error instanceof CertInvalid) throw error
    throw new CertInvalid(
      `cannot read legacy certificate ${certFile}: give Python fedmsg's ssldir/<certname>.crt (PEM)`,
      { cause: error },
    )
  }
  return new LegacySigner({ certificatePem, privateKey })
}

/**
 * Runs `fedmsg bridge to-legacy` until SIGTERM/SIGINT: a hub (every check of `fedmsg hub`, none of the config's
 * consumer modules) whose one consumer re-signs each verified message on `--topic` with the legacy certificate
 * and publishes it on the legacy PUB socket(s) `--bind`. Startup failures throw (exit status 2).
 */
export async function serveToLegacyBridge(flags: ServeToLegacyBridgeFlags): Promise<void> {
  const topics = flags.topic ?? [ALL_TOPICS]
  for (const pattern of topics) assertValidTopicPattern(pattern)
  const loaded = loadCliConfig(flags.config, { log_level: flags.logLevel })
  const config = { ...loaded.config, consumers: [] }
  const log = createCommandLogger('fedmsg-bridge', config.log_level)
  if (loaded.usingDevDefaults) warnAboutDevDefaults(log)
  const signer = legacySigner(flags.legacyCert, flags.legacyKey)
  const reverse = await ToLegacyBridge.start({
    bind: flags.bind,
    signer,
    tuning: tuningFromConfig(config),
    logger: log,
  })
  const connect = flags.connect ?? subscribeAddresses(config)
  let hub: Awaited<ReturnType<typeof createHub>>
  try {
    hub = await createHub({
      config,
      logger: log,
      connect,
      consumers: [{ name: 'to-legacy', topic: topics, consume: (m) => reverse.consume(m) }],
    })
  } catch (error) {
    reverse.close()
    throw error
  }
  const cause = await runUntilSignal(
    async () => {
      await hub.drain()
      reverse.close()
    },
    {
      onStarted: () =>
        log.info({ connect, topic: topics, legacy: reverse.endpoints }, 'bridge started'),
      onStop: (signal) => log.info({ signal }, 'bridge stopping'),
    },
  )
  const { rejected } = hub.stats()
  log.info({ cause, ...reverse.stats(), rejected }, 'bridge stopped')
}
