import { join } from 'node:path'

/**
 * Where a CA directory keeps what. Every file is replaced atomically; `state.json` is written last, so a
 * directory holds a CA exactly when it has a `state.json`.
 *
 * ```
 * DIR/ca.crt        this CA's certificate (PEM)
 * DIR/ca.key        its private key: PKCS#8 PEM, mode 0600, encrypted when a passphrase was given
 * DIR/chain.pem     this CA's certificate and those above it, up to but excluding the root (empty for a root)
 * DIR/root.crt      the root of this CA's hierarchy: the trust anchor verifiers configure
 * DIR/state.json    serial registry, revocations, last CRL number
 * DIR/issued/       a copy of every certificate issued, named SERIAL.crt
 * DIR/ca.lock       present while a command works on the CA
 * ```
 */
export interface CaLayout {
  readonly dir: string
  readonly certificate: string
  readonly privateKey: string
  readonly chain: string
  readonly root: string
  readonly state: string
  readonly issuedDir: string
}

/** The file names of the CA directory `dir`. */
export function caLayout(dir: string): CaLayout {
  return {
    dir,
    certificate: join(dir, 'ca.crt'),
    privateKey: join(dir, 'ca.key'),
    chain: join(dir, 'chain.pem'),
    root: join(dir, 'root.crt'),
    state: join(dir, 'state.json'),
    issuedDir: join(dir, 'issued'),
  }
}

/** Where the copy of the certificate with `serial` is kept. */
export function issuedCertificatePath(layout: CaLayout, serial: string): string {
  return join(layout.issuedDir, `${serial}.crt`)
}
