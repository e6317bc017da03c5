import { createPrivateKey, type KeyObject } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { KeyInsecure, KeyInvalid } from '../errors.js'
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
  try {
    const pem = readFileSync(path, 'utf8')
    return createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase })
  } catch (error) {
    const hint = passphrase === undefined ? ' (if it is encrypted, give its passphrase file)' : ''
    throw new KeyInvalid(`cannot parse private key ${path}${hint}`, { cause: error })
  }
}

/** PKCS#8 PEM of a private key, encrypted with AES-256-CBC under `passphrase` when one is given. */
export function exportPrivateKeyPem(key: KeyObject, passphrase?: string): string {
  const pem =
    passphrase === undefined
      ? key.export({ format: 'pem', type: 'pkcs8' })
      : key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase })
  return pem.toString()
}
