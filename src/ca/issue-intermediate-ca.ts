import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../errors.js'
import { x509 } from '../crypto/x509.js'
import { withCaLock } from './ca-lock.js'
import { assertIssuableCa } from './issuer-signature-algorithm.js'
import { assertNoCa, loadCaSigner, stageCaDirectory } from './ca-directory.js'
import { checkedCommonName } from './common-name.js'
import { createDirectory } from './created-directory.js'
import { createIntermediateCertificate, validityFor } from './certificate-factory.js'
import { generateKeyPair, type KeyAlgorithm } from './key-pair.js'
import {
  DEFAULT_DAYS,
  DEFAULT_KEY_ALGORITHM,
  lockOptionsOf,
  summarizeCa,
  type CaOperationOptions,
  type CaSummary,
} from './ca-operation-options.js'
import { assertWithinIssuer, commitIssued, freshSerial } from './serial-registry.js'

export interface IssueIntermediateCaOptions extends CaOperationOptions {
  /** The signing CA's directory (usually the root). */
  readonly parentDir: string
  /** The new CA's directory. */
  readonly outDir: string
  readonly cn: string
  /** basicConstraints pathLenConstraint; 0 lets the intermediate issue only leaves. */
  readonly pathLength?: number
  readonly alg?: KeyAlgorithm
  readonly days?: number
  readonly force?: boolean
  /** Decrypts the parent CA's key. */
  readonly passphrase?: string
  /** Encrypts the new CA's key. */
  readonly outPassphrase?: string
  /** Start of validity; default now. For tests. */
  readonly notBefore?: Date
}

/**
 * Creates an intermediate CA signed by the CA in `parentDir` and makes `outDir` a CA directory of its own, from
 * which services are issued. The parent registers the serial before the new CA is written.
 *
 * @example
 * await issueIntermediateCa({ parentDir: '/media/offline/root', outDir: '/srv/fedmsg-ca', cn: 'Issuing CA 1', pathLength: 0 })
 */
export async function issueIntermediateCa(options: IssueIntermediateCaOptions): Promise<CaSummary> {
  const parentDir = resolve(options.parentDir)
  const outDir = resolve(options.outDir)
  const alg = options.alg ?? DEFAULT_KEY_ALGORITHM
  if (realOrSame(parentDir) === realOrSame(outDir))
    throw new UsageError('--out must differ from --dir')
  // Every input is checked before the first write, so a refused command leaves no trace.
  const cn = checkedCommonName(options.cn)
  const validity = validityFor(options.days ?? DEFAULT_DAYS.intermediate, options.notBefore)
  const lock = lockOptionsOf(options)
  return withCaLock(
    parentDir,
    async () => {
      const directory = createDirectory(outDir)
      try {
        return await withCaLock(
          outDir,
          async () => {
            assertNoCa(outDir, options.force ?? false)
            const parent = loadCaSigner(parentDir, options.passphrase)
            assertIssuableCa(parent)
            assertPathLengthAllows(parent.certificate, options.pathLength)
            assertWithinIssuer(parent.certificate, validity)
            const keys = generateKeyPair(alg)
            const certificate = await createIntermediateCertificate(
              parent.issuer,
              cn,
              keys.publicKey,
              validity,
              options.pathLength,
              freshSerial(parent.state),
            )
            const staged = stageCaDirectory(
              outDir,
              {
                certificate,
                privateKey: keys.privateKey,
                chain: [certificate, ...parent.chain],
                root: parent.root,
                passphrase: options.outPassphrase,
              },
              options.fs,
            )
            // The parent registers the serial (the commit point) only once the new CA is on disk in full.
            try {
              commitIssued(parent, certificate, 'ca', alg, options.fs)
            } catch (error) {
              staged.discard()
              throw error
            }
            staged.commit()
            return summarizeCa(staged.layout, certificate, alg, options.outPassphrase !== undefined)
          },
          lock,
        )
      } catch (error) {
        directory.removeIfEmpty()
        throw error
      }
    },
    lock,
  )
}

/** RFC 5280 §4.2.1.9: a CA with pathLenConstraint n may have at most n CAs below it in a path. */
function assertPathLengthAllows(parent: x509.X509Certificate, requested: number | undefined): void {
  const limit = parent.getExtension(x509.BasicConstraintsExtension)?.pathLength
  if (limit === undefined) return
  if (limit === 0) {
    throw new UsageError(`${parent.subject} has path length 0: it may issue services, not CAs`)
  }
  if (requested === undefined || requested >= limit) {
    throw new UsageError(
      `${parent.subject} has path length ${limit}: give the intermediate --path-len ${limit - 1} or less`,
    )
  }
}

/** The real path of an existing directory (so a symlink to --dir is seen as --dir), else `dir` itself. */
function realOrSame(dir: string): string {
  try {
    return realpathSync(dir)
  } catch {
    return dir
  }
}
