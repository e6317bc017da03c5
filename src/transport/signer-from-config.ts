import { readFileSync } from 'node:fs'
import type { FedmsgConfig } from '../config/config-types.js'
import { EnvelopeSigner } from '../crypto/envelope-signer.js'
import { ConfigInvalid, ConfigNotFound } from '../errors.js'

/**
 * The signer of service `name`: `config.certs[name]` (certificate chain, private key, and the file holding
 * the key's passphrase if it is encrypted).
 *
 * @example
 * ```ts
 * const signer = signerFromConfig(config, 'bodhi')
 * ```
 */
export function signerFromConfig(config: FedmsgConfig, name: string): EnvelopeSigner {
  const paths = config.certs[name]
  if (paths === undefined) {
    throw new ConfigInvalid(
      `no certificate for service "${name}": add certs.${name} with cert and key`,
      {
        key: `certs.${name}`,
      },
    )
  }
  let passphrase: string | undefined
  if (paths.passphrase_file !== undefined) {
    try {
      passphrase = readFileSync(paths.passphrase_file, 'utf8').replace(/\r?\n$/, '')
    } catch (error) {
      throw new ConfigNotFound(
        `cannot read passphrase file ${paths.passphrase_file} (certs.${name}.passphrase_file)`,
        { cause: error },
      )
    }
  }
  return EnvelopeSigner.fromFiles({
    certFile: paths.cert,
    keyFile: paths.key,
    ...(passphrase === undefined ? {} : { passphrase }),
  })
}
