import { resolve } from 'node:path'
import { encodePem, PEM_LABEL } from '../crypto/pem.js'
import { writeFileAtomic } from './atomic-file.js'
import { withCaLock } from './ca-lock.js'
import { loadCaSigner } from './ca-directory.js'
import { writeCaState } from './ca-state.js'
import { createCrl, type RevokedEntry } from './certificate-factory.js'
import { DEFAULT_DAYS, type CaOperationOptions } from './ca-operation-options.js'

export interface GenerateCrlOptions extends CaOperationOptions {
  readonly dir: string
  /** Where the PEM (`X509 CRL`) goes. */
  readonly outFile: string
  /** nextUpdate = thisUpdate + days. */
  readonly days?: number
  /** Decrypts the CA key. */
  readonly passphrase?: string
  /** Default now. For tests of stale CRLs. */
  readonly thisUpdate?: Date
}

/** What `generateCrl` wrote. */
export interface GeneratedCrl {
  readonly file: string
  readonly crlNumber: number
  readonly thisUpdate: Date
  readonly nextUpdate: Date
  readonly revokedCount: number
}

/**
 * Signs a CRL listing every certificate the CA revoked. The CRL number (RFC 5280 §5.2.3) is one more than the
 * last and is committed to `state.json` before the CRL is written, so numbers strictly increase even across
 * crashes; a verifier can always tell the newer of two CRLs.
 *
 * @example
 * await generateCrl({ dir: '/srv/fedmsg-ca', outFile: '/srv/www/fedmsg/intermediate.crl', days: 7 })
 */
export async function generateCrl(options: GenerateCrlOptions): Promise<GeneratedCrl> {
  const dir = resolve(options.dir)
  const file = resolve(options.outFile)
  return withCaLock(
    dir,
    async () => {
      const ca = loadCaSigner(dir, options.passphrase)
      const crlNumber = ca.state.crlNumber + 1
      const thisUpdate = options.thisUpdate ?? new Date()
      const nextUpdate = new Date(
        thisUpdate.getTime() + (options.days ?? DEFAULT_DAYS.crl) * 86_400_000,
      )
      const entries: RevokedEntry[] = ca.state.issued.flatMap((record) =>
        record.revoked === undefined
          ? []
          : [
              {
                serialHex: record.serial,
                revokedAt: new Date(record.revoked.at),
                reason: record.revoked.reason,
              },
            ],
      )
      const crl = await createCrl(ca.issuer, {
        crlNumber: BigInt(crlNumber),
        thisUpdate,
        nextUpdate,
        entries,
      })
      writeCaState(ca.layout.state, { ...ca.state, crlNumber }, options.fs)
      writeFileAtomic(file, encodePem(crl.rawData, PEM_LABEL.crl), { fs: options.fs })
      return { file, crlNumber, thisUpdate, nextUpdate, revokedCount: entries.length }
    },
    options.lock,
  )
}
