import { createHash } from 'node:crypto'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { sep } from 'node:path'
import { ConfigNotFound, DevCaInProd } from '../errors.js'
import { decodePemBlocks, PEM_LABEL } from '../crypto/pem.js'
import { devCaFiles } from './bundled-dev-ca.js'
import { formatKeyPath } from './config-key-path.js'
import type { FedmsgConfig } from './config-types.js'

/** Says which file set a top-level key or map entry (`certs.bodhi`), for the error message. */
type SourceOf = (key: string) => string

/**
 * Refuses a `prod` configuration that relies on the bundled dev CA, whose private keys ship with the package:
 * anyone could sign messages such a bus accepts.
 * - a `trust` file holds a certificate whose DER is identical to the bundled dev root (a copy counts);
 * - a `trust`, `crl` or `certs.*` path lies inside the bundled dev CA directory (symlinks followed).
 *
 * Other environments pass unchecked. When the bundle has no root certificate, only the path rule applies.
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
  if (!existsSync(files.rootCa)) return
  const devRoot = fingerprint(certificatesIn(files.rootCa)[0] ?? new Uint8Array())
  config.trust.forEach((file, i) => {
    if (!existsSync(file)) {
      throw new ConfigNotFound(
        `trust[${i}] (set in ${sourceOf('trust')}) names ${file}, which does not exist: ` +
          'fix the path or remove it from trust',
      )
    }
    if (certificatesIn(file).some((der) => fingerprint(der) === devRoot)) {
      throw new DevCaInProd(
        `environment is "prod" but trust file ${file} (set in ${sourceOf('trust')}) holds the bundled ` +
          `development root CA (${files.rootCa}), whose private key is public, so anyone could sign ` +
          'messages this bus would accept: remove it from trust and trust the root of your own CA ' +
          '(docs/operations.md, "Certificate authority"), or set environment to "dev"',
      )
    }
  })
}

/** The DER certificates of a PEM file, or the file itself when it holds no PEM (a DER certificate). */
function certificatesIn(file: string): Uint8Array[] {
  const bytes = readFileSync(file)
  const blocks = decodePemBlocks(bytes.toString('latin1'), PEM_LABEL.certificate)
  return blocks.length > 0 ? blocks : [new Uint8Array(bytes)]
}

function fingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex')
}

/** The real path when the file exists, so a symlink into the dev CA counts as inside it. */
function canonical(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}
