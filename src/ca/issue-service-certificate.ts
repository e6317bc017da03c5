import { existsSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { UsageError } from '../errors.js'
import { exportPrivateKeyPem } from '../crypto/keys/key-file.js'
import { withCaLock } from './ca-lock.js'
import { assertIssuableCa } from './issuer-signature-algorithm.js'
import type { x509 } from '../crypto/x509.js'
import { certificatesPem, loadCaSigner, type CaSigner } from './ca-directory.js'
import { stageFile, type StagedFile } from './atomic-file.js'
import { assertNotCaFile } from './ca-file-guard.js'
import type { IssuedRecord } from './ca-state.js'
import { createDirectory } from './created-directory.js'
import { createServiceCertificate, validityFor } from './certificate-factory.js'
import { generateKeyPair, type KeyAlgorithm } from './key-pair.js'
import {
  DEFAULT_DAYS,
  DEFAULT_KEY_ALGORITHM,
  lockOptionsOf,
  type CaOperationOptions,
} from './ca-operation-options.js'
import { assertWithinIssuer, commitIssued, freshSerial } from './serial-registry.js'

export interface IssueServiceOptions extends CaOperationOptions {
  /** The issuing CA's directory. */
  readonly dir: string
  /** Service name: the leaf's CN and the output files' base name. */
  readonly service: string
  readonly alg?: KeyAlgorithm
  readonly days?: number
  /** Where NAME.crt and NAME.key go; default the current directory. Created 0700 if missing. */
  readonly outDir?: string
  /** Replace NAME.crt and NAME.key if they exist. */
  readonly force?: boolean
  /** Decrypts the CA key. */
  readonly passphrase?: string
  /** Encrypts the service key written (PKCS#8, AES-256-CBC): the `passphrase_file` of its config entry. */
  readonly outPassphrase?: string
  /** Start of validity; default now. For tests of expired and not-yet-valid certificates. */
  readonly notBefore?: Date
}

/** What `issueServiceCertificate` wrote. */
export interface IssuedService {
  readonly service: string
  readonly serial: string
  readonly alg: KeyAlgorithm
  readonly notBefore: Date
  readonly notAfter: Date
  /** PEM: the leaf, then the chain up to but excluding the root. */
  readonly certificateFile: string
  /** PKCS#8 PEM, mode 0600. */
  readonly privateKeyFile: string
  /** Whether `privateKeyFile` is encrypted (`outPassphrase`). */
  readonly encrypted: boolean
  /** Number of CA certificates after the leaf in `certificateFile`. */
  readonly chainLength: number
}

/** A service name is a CN and a file name: keep it to characters safe for both. */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/**
 * Issues a service (leaf) certificate: CN = service, CA:false, keyUsage digitalSignature, the fedmsg
 * message-signing EKU, a fresh registered serial; writes `NAME.crt` (leaf + chain) and `NAME.key` (0600).
 *
 * @example
 * const issued = await issueServiceCertificate({ dir: '/srv/fedmsg-ca', service: 'bodhi', outDir: '/etc/fedmsg/certs' })
 */
export async function issueServiceCertificate(
  options: IssueServiceOptions,
): Promise<IssuedService> {
  const { service } = options
  if (!SERVICE_NAME.test(service)) {
    throw new UsageError(
      `service name ${JSON.stringify(service)} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    )
  }
  const dir = resolve(options.dir)
  const outDir = resolve(options.outDir ?? '.')
  const alg = options.alg ?? DEFAULT_KEY_ALGORITHM
  const certificateFile = join(outDir, `${service}.crt`)
  const privateKeyFile = join(outDir, `${service}.key`)
  // Every input is checked before the first write, so a refused command leaves no trace.
  const validity = validityFor(options.days ?? DEFAULT_DAYS.service, options.notBefore)
  for (const file of [certificateFile, privateKeyFile]) assertNotCaFile(file, '--out')
  return withCaLock(
    dir,
    async () => {
      const ca = loadCaSigner(dir, options.passphrase)
      assertIssuableCa(ca)
      if (!options.force) assertAbsent(certificateFile, privateKeyFile)
      assertWithinIssuer(ca.certificate, validity)
      const keys = generateKeyPair(alg)
      const certificate = await createServiceCertificate(
        ca.issuer,
        service,
        keys.publicKey,
        validity,
        freshSerial(ca.state),
      )
      const record = handOut(ca, certificate, alg, options, {
        outDir,
        files: [
          [privateKeyFile, exportPrivateKeyPem(keys.privateKey, options.outPassphrase), 0o600],
          [certificateFile, certificatesPem([certificate, ...ca.chain]), 0o644],
        ],
      })
      return {
        service,
        serial: record.serial,
        alg,
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
        certificateFile,
        privateKeyFile,
        encrypted: options.outPassphrase !== undefined,
        chainLength: ca.chain.length,
      }
    },
    lockOptionsOf(options),
  )
}

/**
 * Writes the key and certificate to temp files, registers the serial (the commit point), then renames both
 * into place: a full disk fails before the registry changes, and never leaves a key without its certificate.
 */
function handOut(
  ca: CaSigner,
  certificate: x509.X509Certificate,
  alg: KeyAlgorithm,
  options: IssueServiceOptions,
  output: { readonly outDir: string; readonly files: readonly [string, string, number][] },
): IssuedRecord {
  const directory = createDirectory(output.outDir)
  const staged: StagedFile[] = []
  const placed: string[] = []
  try {
    for (const [path, text, mode] of output.files) {
      staged.push(stageFile(path, text, { mode, fs: options.fs }))
    }
    const record = commitIssued(ca, certificate, 'service', alg, options.fs)
    for (const file of staged) {
      file.commit()
      placed.push(file.path)
    }
    return record
  } catch (error) {
    for (const file of staged) file.discard()
    for (const path of placed) rmSync(path, { force: true }) // a key alone is of no use to anyone
    directory.removeIfEmpty()
    throw error
  }
}

function assertAbsent(...paths: string[]): void {
  for (const path of paths) {
    if (existsSync(path)) {
      throw new UsageError(`${path} exists: pick another --out, or pass --force to replace it`)
    }
  }
}
