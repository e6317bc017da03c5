import type { AtomicFs } from './atomic-file.js'
import type { CaLockOptions } from './ca-lock.js'
import type { CaLayout } from './ca-layout.js'
import type { x509 } from '../crypto/x509.js'
import type { KeyAlgorithm } from './key-pair.js'

/** What every CA operation accepts besides its own inputs. */
export interface CaOperationOptions {
  /** File-system calls of atomic writes; tests inject failures through it. */
  readonly fs?: AtomicFs
  readonly lock?: CaLockOptions
}

/** The lock options of an operation: its own, with the operation's file system unless they name one. */
export function lockOptionsOf(options: CaOperationOptions): CaLockOptions {
  return { ...options.lock, fs: options.lock?.fs ?? options.fs }
}

/** Key algorithm of every key the CA generates unless told otherwise. */
export const DEFAULT_KEY_ALGORITHM: KeyAlgorithm = 'es256'

/** Subject CN of a root made without `--cn`. */
export const DEFAULT_ROOT_CN = 'fedmsg Root CA'

/** Default lifetimes, in days, of what the CA issues. */
export const DEFAULT_DAYS = {
  root: 3650,
  intermediate: 1825,
  service: 365,
  crl: 30,
} as const

/** What `ca init` and `ca intermediate` report about the CA they made. */
export interface CaSummary {
  readonly dir: string
  readonly subject: string
  readonly serial: string
  readonly alg: KeyAlgorithm
  readonly notBefore: Date
  readonly notAfter: Date
  readonly certificateFile: string
  readonly privateKeyFile: string
  /** The trust anchor of the hierarchy. */
  readonly rootFile: string
  readonly encrypted: boolean
}

/** The summary of the CA whose certificate was just written into `layout`. */
export function summarizeCa(
  layout: CaLayout,
  certificate: x509.X509Certificate,
  alg: KeyAlgorithm,
  encrypted: boolean,
): CaSummary {
  return {
    dir: layout.dir,
    subject: certificate.subject,
    serial: certificate.serialNumber,
    alg,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    certificateFile: layout.certificate,
    privateKeyFile: layout.privateKey,
    rootFile: layout.root,
    encrypted,
  }
}
