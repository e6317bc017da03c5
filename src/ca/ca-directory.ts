import { createPublicKey, type KeyObject } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { CaExists, CaNotFound, KeyInvalid } from '../errors.js'
import { readPrivateKeyFile, exportPrivateKeyPem } from '../crypto/keys/key-file.js'
import { decodePemBlocks, encodePem, PEM_LABEL } from '../crypto/pem.js'
import { x509 } from '../crypto/x509.js'
import { NODE_FS, stageFile, syncDirectory, type AtomicFs, type StagedFile } from './atomic-file.js'
import { writingTo } from './ca-write-error.js'
import { createDirectory } from './created-directory.js'
import { caLayout, type CaLayout } from './ca-layout.js'
import { caStateText, emptyCaState, readCaState, type CaState } from './ca-state.js'
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

/** A new CA written to temp files in its directory, not yet in place. */
export interface StagedCa {
  readonly layout: CaLayout
  /** Puts every file in place, `state.json` last; a CA already there (`--force`) is unregistered first. */
  commit(): void
  /** Removes the temp files and an `issued/` this staging created: the directory is as before. */
  discard(): void
}

/**
 * Writes a new CA into temp files in `dir` (which must exist), so that a full disk or a refused permission
 * fails before anything is replaced. Until `state.json` lands the directory does not count as a CA, so a crash
 * during `commit` leaves something `ca init` simply redoes, and the old state is removed before the new key
 * lands so that a crash never pairs it with the new key. The directory is made 0700: it holds a private key.
 */
export function stageCaDirectory(dir: string, ca: NewCa, fs?: AtomicFs): StagedCa {
  const layout = caLayout(dir)
  const contents: [string, string, number][] = [
    [layout.privateKey, exportPrivateKeyPem(ca.privateKey, ca.passphrase), 0o600],
    [layout.certificate, certificatesPem([ca.certificate]), 0o644],
    [layout.chain, certificatesPem(ca.chain), 0o644],
    [layout.root, certificatesPem([ca.root]), 0o644],
    [layout.state, caStateText(emptyCaState()), 0o600],
  ]
  const staged: StagedFile[] = []
  const issued = (() => {
    try {
      for (const [path, text, mode] of contents) staged.push(stageFile(path, text, { mode, fs }))
      return createDirectory(layout.issuedDir)
    } catch (error) {
      for (const file of staged) file.discard()
      throw error
    }
  })()
  const discard = () => {
    for (const file of staged) file.discard()
    issued.removeIfEmpty()
  }
  return {
    layout,
    discard,
    commit() {
      try {
        writingTo(dir, () => {
          chmodSync(dir, 0o700)
          if (existsSync(layout.state)) {
            rmSync(layout.state)
            rmSync(layout.issuedDir, { recursive: true, force: true })
            mkdirSync(layout.issuedDir, { mode: 0o700 })
            syncDirectory(fs ?? NODE_FS, dir)
          }
        })
        for (const file of staged) file.commit()
      } catch (error) {
        discard()
        throw error
      }
    },
  }
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
