import type { FedmsgConfig } from '../config/config-types.js'
import { EnvelopeSigner } from '../crypto/envelope/envelope-signer.js'
import { readPassphraseFile } from '../crypto/keys/passphrase-file.js'
import { ConfigInvalid } from '../errors.js'

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
  // The passphrase file guards the key, so it gets the key's rule: refused when group or others can read it.
  const passphrase =
    paths.passphrase_file === undefined ? undefined : readPassphraseFile(paths.passphrase_file)
  return EnvelopeSigner.fromFiles({
    certFile: paths.cert,
    keyFile: paths.key,
    ...(passphrase === undefined ? {} : { passphrase }),
  })
}
