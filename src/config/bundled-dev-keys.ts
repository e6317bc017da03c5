import {
  createHash,
  createPrivateKey,
  createPublicKey,
  X509Certificate,
  type KeyObject,
} from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { devCaFiles } from './bundled-dev-ca.js'
import { decodePemBlocks, PEM_LABEL } from '../crypto/pem.js'

/**
 * Every public key of the dev CA bundle in `dir`, by fingerprint, with a description for messages: the keys of
 * its `*.key` files (root, issuing CA and every service; all of them are public) and of its `*.crt` files.
 * Files that do not parse are skipped: the guard compares keys, and such a file holds none.
 */
export function bundledDevKeys(dir: string): Map<string, string> {
  const files = devCaFiles(dir)
  const keys = new Map<string, string>()
  const add = (fingerprint: string | undefined, what: string) => {
    if (fingerprint !== undefined && !keys.has(fingerprint)) keys.set(fingerprint, what)
  }
  // The two CAs first, so that messages name them as such.
  for (const [what, file] of [
    ['root CA', files.rootCa],
    ['issuing CA', files.issuingCa],
  ] as const) {
    if (existsSync(file))
      add(certificateKeyFingerprint(certificatesIn(file)[0]!), `${what} (${file})`)
  }
  // Then the key files, which messages name best, then any certificate (an encrypted key's is still public).
  const all = filesUnder(dir)
  for (const file of all.filter((name) => name.endsWith('.key'))) {
    const key = privateKeyIn(file)
    if (key !== undefined) add(keyFingerprint(createPublicKey(key)), `key ${file}`)
  }
  for (const file of all.filter((name) => /\.(crt|pem)$/.test(name))) {
    for (const der of certificatesIn(file)) add(certificateKeyFingerprint(der), `key of ${file}`)
  }
  return keys
}

/** The DER certificates of a PEM file, or the file itself when it holds no PEM (a DER certificate). */
export function certificatesIn(file: string): Uint8Array[] {
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
 * compressed or an uncompressed point, and a certificate re-made for a dev key in the other form must match.
 */
export function certificateKeyFingerprint(der: Uint8Array): string | undefined {
  try {
    return keyFingerprint(new X509Certificate(der).publicKey)
  } catch {
    return undefined // not a certificate: the verifier refuses the file when it loads it
  }
}

function keyFingerprint(key: KeyObject): string {
  const { kty, crv, x, y, n, e } = key.export({ format: 'jwk' })
  return createHash('sha256')
    .update(JSON.stringify([kty, crv, x, y, n, e]))
    .digest('hex')
}

function privateKeyIn(file: string): KeyObject | undefined {
  try {
    return createPrivateKey(readFileSync(file))
  } catch {
    return undefined // encrypted or not a key; its certificate still names the public key
  }
}

function filesUnder(dir: string): string[] {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return filesUnder(path)
    return entry.isFile() ? [path] : []
  })
}
