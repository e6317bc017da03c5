/**
 * The named PKI fixtures (test/fixtures/pki.ts) as the PEM files an operator would hand to the CLI.
 */
import { encodePem, PEM_LABEL } from '../../src/crypto/pem.js'
import { exportPrivateKeyPem } from '../../src/crypto/keys/key-file.js'
import type { Pki } from '../fixtures/pki.js'
import type { Workspace } from './cli-runner.js'

export const certPem = (...ders: readonly Uint8Array[]) =>
  ders.map((der) => encodePem(der, PEM_LABEL.certificate)).join('')
export const crlPem = (...ders: readonly Uint8Array[]) =>
  ders.map((der) => encodePem(der, PEM_LABEL.crl)).join('')

/** Files written by {@link writePkiFiles}, as absolute paths. */
export interface PkiFiles {
  /** The trust anchor. */
  readonly root: string
  /** bodhi's leaf then the intermediate, and bodhi's key (0600). */
  readonly bodhiCert: string
  readonly bodhiKey: string
  /** koji's leaf then the intermediate, and koji's key (0600). */
  readonly kojiCert: string
  readonly kojiKey: string
  /** Current CRLs of root and intermediate, nothing revoked. */
  readonly crls: string
}

export function writePkiFiles(workspace: Workspace, pki: Pki): PkiFiles {
  const key = (issued: Pki['leaf']) => exportPrivateKeyPem(issued.privateKey)
  return {
    root: workspace.write('root.crt', certPem(pki.root.der), 0o644),
    bodhiCert: workspace.write('bodhi.crt', certPem(pki.leaf.der, pki.intermediate.der), 0o644),
    bodhiKey: workspace.write('bodhi.key', key(pki.leaf)),
    kojiCert: workspace.write('koji.crt', certPem(pki.otherLeaf.der, pki.intermediate.der), 0o644),
    kojiKey: workspace.write('koji.key', key(pki.otherLeaf)),
    crls: workspace.write('crls.pem', crlPem(...pki.crls), 0o644),
  }
}
