import { existsSync, realpathSync } from 'node:fs'
import { sep } from 'node:path'
import { ConfigNotFound, DevCaInProd } from '../errors.js'
import { devCaFiles } from './bundled-dev-ca.js'
import { bundledDevKeys, certificateKeyFingerprint, certificatesIn } from './bundled-dev-keys.js'
import { formatKeyPath } from './config-key-path.js'
import type { FedmsgConfig } from './config-types.js'

/** Says which file set a top-level key or map entry (`certs.bodhi`), for the error message. */
type SourceOf = (key: string) => string

/**
 * Refuses a `prod` configuration that relies on the bundled dev CA, whose private keys ship with the package:
 * anyone could sign messages such a bus accepts.
 * - a `trust` file (trust anchors) or a `certs.*.cert` file after its leaf (intermediates) holds a certificate
 *   for any key of the bundle: the root's, the issuing CA's or a service's, all public (compared as keys, not
 *   as encoded bytes): a copy counts, and so does any certificate made for one of those keys, whatever the
 *   encoding of its point;
 * - a `trust`, `crl` or `certs.*` path lies inside the bundled dev CA directory (symlinks followed).
 *
 * Other environments pass unchecked. The key rule uses whichever keys and certificates the bundle holds.
 */
export function assertNoDevCaInProd(config: FedmsgConfig, devCaDir: string, sourceOf: SourceOf) {
  if (config.environment !== 'prod') return
  const files = devCaFiles(devCaDir)
  const devDir = canonical(files.dir)
  // [key path, file, top-level key or map entry whose source the message names]
  const named: [string, string, string][] = [
    ...config.trust.map((file, i): [string, string, string] => [`trust[${i}]`, file, 'trust']),
    ...config.crl.map((file, i): [string, string, string] => [`crl[${i}]`, file, 'crl']),
  ]
  for (const [name, paths] of Object.entries(config.certs)) {
    const entry = formatKeyPath(['certs', name])
    named.push([`${entry}.cert`, paths.cert, entry], [`${entry}.key`, paths.key, entry])
    if (paths.passphrase_file) {
      named.push([`${entry}.passphrase_file`, paths.passphrase_file, entry])
    }
  }
  for (const [key, file, setBy] of named) {
    if (canonical(file).startsWith(devDir + sep)) {
      throw new DevCaInProd(
        `environment is "prod" but ${key} (set in ${sourceOf(setBy)}) is ${file}, ` +
          `inside the bundled development CA ${files.dir}, whose private keys are public: ` +
          'issue certificates from your own CA (docs/operations.md, "Certificate authority") and point ' +
          'the configuration at them, or set environment to "dev"',
      )
    }
  }
  const devKeys = bundledDevKeys(files.dir)
  if (devKeys.size === 0) return
  config.trust.forEach((file, i) => {
    if (!existsSync(file)) {
      throw new ConfigNotFound(
        `trust[${i}] (set in ${sourceOf('trust')}) names ${file}, which does not exist: ` +
          'fix the path or remove it from trust',
      )
    }
    const devKey = findDevKey(certificatesIn(file), devKeys)
    if (devKey !== undefined) {
      throw new DevCaInProd(
        `environment is "prod" but trust file ${file} (set in ${sourceOf('trust')}) holds the bundled ` +
          `development ${devKey} or a certificate for its key, whose private key is public, so anyone could sign ` +
          'messages this bus would accept: remove it from trust and trust the root of your own CA ' +
          '(docs/operations.md, "Certificate authority"), or set environment to "dev"',
      )
    }
  })
  for (const [name, paths] of Object.entries(config.certs)) {
    if (!existsSync(paths.cert)) continue // the publisher reports a missing certificate when it loads it
    // The leaf's own key is the service's; the certificates after it are the intermediates it sends.
    const devKey = findDevKey(certificatesIn(paths.cert).slice(1), devKeys)
    if (devKey !== undefined) {
      const entry = formatKeyPath(['certs', name])
      throw new DevCaInProd(
        `environment is "prod" but ${entry}.cert ${paths.cert} (set in ${sourceOf(entry)}) holds an ` +
          `intermediate CA certificate for the bundled development ${devKey}, whose private key is public, so ` +
          'anyone could issue certificates under it: ' +
          'issue the service from your own CA (docs/operations.md, "Certificate authority"), or set ' +
          'environment to "dev"',
      )
    }
  }
}

/** The description of the first dev key one of `certificates` is for, if any. */
function findDevKey(
  certificates: readonly Uint8Array[],
  devKeys: ReadonlyMap<string, string>,
): string | undefined {
  return certificates
    .map((der) => devKeys.get(certificateKeyFingerprint(der) ?? ''))
    .find((found) => found !== undefined)
}

/** The real path when the file exists, so a symlink into the dev CA counts as inside it. */
function canonical(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}
