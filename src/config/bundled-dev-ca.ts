import { join } from 'node:path'
import { BUNDLED_DEV_CA_DIR } from '../crypto/keys/bundled-dev-keys.js'

export { BUNDLED_DEV_CA_DIR }

/** Services the bundled dev CA holds a certificate and key for (`certs/dev/services/NAME.crt|.key`). */
export const DEV_SERVICES = [
  'bodhi',
  'koji',
  'fas',
  'pkgdb',
  'wiki',
  'git',
  'logger',
  'relay',
  'tagger',
  'meetbot',
  'hub',
  'demo-forger',
] as const

export type DevService = (typeof DEV_SERVICES)[number]

/** Files of a dev CA bundle laid out as `certs/dev` is. */
export interface DevCaFiles {
  readonly dir: string
  /** The trust anchor. */
  readonly rootCa: string
  /** The issuing (intermediate) CA that signed the service certificates. */
  readonly issuingCa: string
  /** Current CRLs of the root and the intermediate, concatenated PEM. */
  readonly crl: string
  serviceCert(name: string): string
  serviceKey(name: string): string
}

/** The file names of a dev CA bundle in `dir` (default: the bundled one). */
export function devCaFiles(dir: string = BUNDLED_DEV_CA_DIR): DevCaFiles {
  return {
    dir,
    rootCa: join(dir, 'root-ca.crt'),
    issuingCa: join(dir, 'ca', 'intermediate', 'ca.crt'),
    crl: join(dir, 'crl.pem'),
    serviceCert: (name) => join(dir, 'services', `${name}.crt`),
    serviceKey: (name) => join(dir, 'services', `${name}.key`),
  }
}
