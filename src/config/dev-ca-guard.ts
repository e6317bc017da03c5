import { createHash, X509Certificate } from 'node:crypto'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { sep } from 'node:path'
import { ConfigNotFound, DevCaInProd } from '../errors.js'
import { devCaFiles } from './bundled-dev-ca.js'
import { formatKeyPath } from './config-key-path.js'
import type { FedmsgConfig } from './config-types.js'
import { decodePemBlocks, PEM_LABEL } from '../crypto/pem.js'

/** Says which file set a top-level key or map entry (`certs.bodhi`), for the error message. */
type SourceOf = (key: string) => string

/**
 * Refuses a `prod` configuration that relies on the bundled dev CA, whose private keys ship with the package:
 * anyone could sign messages such a bus accepts.
 * - a `trust` file holds a certificate with the public key of the bundled dev root or of the bundled dev
 *   issuing CA (compared as a key, not as encoded bytes): a copy counts, and so does any certificate re-issued
 *   for either key, whatever the encoding of its point;
 * - a `trust`, `crl` or `certs.*` path lies inside the bundled dev CA directory (symlinks followed).
 *
 * Other environments pass unchecked. The key rule uses whichever of the two CA certificates the bundle holds.
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
  const devKeys = new Map<string, string>()
  for (const [what, file] of [
    ['root CA', files.rootCa],
    ['issuing CA', files.issuingCa],
  ] as const) {
    const key = existsSync(file) ? publicKeyFingerprint(certificatesIn(file)[0]!) : undefined
    if (key !== undefined) devKeys.set(key, `${what} (${file})`)
  }
  if (devKeys.size === 0) return
  config.trust.forEach((file, i) => {
    if (!existsSync(file)) {
      throw new ConfigNotFound(
        `trust[${i}] (set in ${sourceOf('trust')}) names ${file}, which does not exist: ` +
          'fix the path or remove it from trust',
      )
    }
    const devCa = certificatesIn(file)
      .map((der) => devKeys.get(publicKeyFingerprint(der) ?? ''))
      .find((found) => found !== undefined)
    if (devCa !== undefined) {
      throw new DevCaInProd(
        `environment is "prod" but trust file ${file} (set in ${sourceOf('trust')}) holds the bundled ` +
          `development ${devCa} or a certificate for its key, whose private key is public, so anyone could sign ` +
          'messages this bus would accept: remove it from trust and trust the root of your own CA ' +
          '(docs/operations.md, "Certificate authority"), or set environment to "dev"',
      )
    }
  })
}

/** The DER certificates of a PEM file, or the file itself when it holds no PEM (a DER certificate). */
function certificatesIn(file: string): Uint8Array[] {
  const bytes = readFileSync(file)
  let blocks: Uint8Array[] = []
  try {
    blocks = decodePemBlocks(bytes.toString('latin1'), PEM_LABEL.certificate)
  } catch {
    // Broken base64 in a PEM block: the verifier refuses the whole file when it loads it.
  }
  return blocks.length > 0 ? blocks : [new Uint8Array(bytes)]
}

/**
 * SHA-256 of the certificate's public key in JWK form (kty, crv and the key's numbers); undefined for bytes
 * that are not a certificate. Not of its SubjectPublicKeyInfo bytes: the same EC key can be encoded with a
 * compressed or an uncompressed point, and a certificate re-made for the dev key in the other form must match.
 */
function publicKeyFingerprint(der: Uint8Array): string | undefined {
  let jwk: JsonWebKey
  try {
    jwk = new X509Certificate(der).publicKey.export({ format: 'jwk' })
  } catch {
    return undefined // not a certificate: the verifier refuses the trust file when it loads it
  }
  const { kty, crv, x, y, n, e } = jwk
  return createHash('sha256')
    .update(JSON.stringify([kty, crv, x, y, n, e]))
    .digest('hex')
}

/** The real path when the file exists, so a symlink into the dev CA counts as inside it. */
function canonical(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}
