import { createPublicKey, type KeyObject } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { CaExists, CaNotFound, KeyInvalid } from '../errors.js'
import { readPrivateKeyFile, exportPrivateKeyPem } from '../crypto/key-file.js'
import { decodePemBlocks, encodePem, PEM_LABEL } from '../crypto/pem.js'
import { x509 } from '../crypto/x509.js'
import { NODE_FS, syncDirectory, writeFileAtomic, type AtomicFs } from './atomic-file.js'
import { caLayout, type CaLayout } from './ca-layout.js'
import { emptyCaState, readCaState, writeCaState, type CaState } from './ca-state.js'
import type { Issuer } from './certificate-factory.js'

/** The public side of a CA directory: enough to list, revoke and check what it issued. */
export interface CaCertificates {
  readonly layout: CaLayout
  readonly certificate: x509.X509Certificate
  /** This CA and the CAs above it, excluding the root; empty for a root. */
  readonly chain: readonly x509.X509Certificate[]
  readonly root: x509.X509Certificate
  readonly state: CaState
}

/** A CA directory opened for signing. */
export interface CaSigner extends CaCertificates {
  readonly issuer: Issuer
}

/** Creates `dir` (and parents) if needed and makes it 0700: it holds private keys. */
export function ensurePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
}

/** Throws `CaExists` when `dir` already holds a complete CA and `force` is not set. */
export function assertNoCa(dir: string, force: boolean): void {
  const layout = caLayout(dir)
  if (!force && existsSync(layout.state)) {
    throw new CaExists(
      `${dir} already holds a CA: pick another directory, or pass --force to destroy that CA and start over`,
    )
  }
}

/** Reads the certificates and state of the CA in `dir`. Throws `CaNotFound` when there is none. */
export function loadCaCertificates(dir: string): CaCertificates {
  const layout = caLayout(dir)
  const state = readCaState(layout.state)
  const [certificate] = readCertificates(layout.certificate)
  const [root] = readCertificates(layout.root)
  if (certificate === undefined || root === undefined) {
    throw new CaNotFound(`${dir} lacks ca.crt or root.crt: restore the CA directory from backup`)
  }
  return { layout, certificate, chain: readCertificates(layout.chain), root, state }
}

/**
 * Opens the CA in `dir` for signing: its certificates, state and private key. The key must be 0600
 * (`KeyInsecure` otherwise) and must belong to the certificate (`KeyInvalid`).
 */
export function loadCaSigner(dir: string, passphrase?: string): CaSigner {
  const certificates = loadCaCertificates(dir)
  const privateKey = readPrivateKeyFile(certificates.layout.privateKey, passphrase)
  assertKeyFitsCertificate(privateKey, certificates.certificate, certificates.layout.privateKey)
  return { ...certificates, issuer: { certificate: certificates.certificate, privateKey } }
}

/** Everything a new CA directory holds. */
export interface NewCa {
  readonly certificate: x509.X509Certificate
  readonly privateKey: KeyObject
  readonly chain: readonly x509.X509Certificate[]
  readonly root: x509.X509Certificate
  readonly passphrase?: string
}

/**
 * Writes a new CA into `dir`, each file atomically and `state.json` last: until it lands, the directory does
 * not count as a CA, so a crash part way leaves something `ca init` simply redoes. A CA already there
 * (`--force`) is unregistered first, so a crash never pairs its state with the new key.
 */
export function writeCaDirectory(dir: string, ca: NewCa, fs?: AtomicFs): CaLayout {
  const layout = caLayout(dir)
  ensurePrivateDirectory(dir)
  if (existsSync(layout.state)) {
    rmSync(layout.state)
    rmSync(layout.issuedDir, { recursive: true, force: true })
    syncDirectory(fs ?? NODE_FS, dir)
  }
  ensurePrivateDirectory(layout.issuedDir)
  writeFileAtomic(layout.privateKey, exportPrivateKeyPem(ca.privateKey, ca.passphrase), {
    mode: 0o600,
    fs,
  })
  writeFileAtomic(layout.certificate, certificatesPem([ca.certificate]), { fs })
  writeFileAtomic(layout.chain, certificatesPem(ca.chain), { fs })
  writeFileAtomic(layout.root, certificatesPem([ca.root]), { fs })
  writeCaState(layout.state, emptyCaState(), fs)
  return layout
}

/** PEM of several certificates, one block after another. */
export function certificatesPem(certificates: readonly x509.X509Certificate[]): string {
  return certificates
    .map((certificate) => encodePem(certificate.rawData, PEM_LABEL.certificate))
    .join('')
}

function readCertificates(path: string): x509.X509Certificate[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new CaNotFound(`cannot read ${path}: is this a CA directory made by fedmsg ca init?`, {
      cause: error,
    })
  }
  return decodePemBlocks(text, PEM_LABEL.certificate).map(
    (der) => new x509.X509Certificate(der.slice()),
  )
}

function assertKeyFitsCertificate(
  privateKey: KeyObject,
  certificate: x509.X509Certificate,
  path: string,
): void {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  if (!spki.equals(Buffer.from(certificate.publicKey.rawData))) {
    throw new KeyInvalid(
      `${path} is not the key of the CA certificate next to it: restore the pair from backup`,
    )
  }
}
