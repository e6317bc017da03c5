import { resolve } from 'node:path'
import { encodePem, PEM_LABEL } from '../crypto/pem.js'
import { stageFile } from './atomic-file.js'
import { assertNotCaFile } from './ca-file-guard.js'
import { withCaLock } from './ca-lock.js'
import { loadCaSigner } from './ca-directory.js'
import { writeCaState } from './ca-state.js'
import { createCrl, type RevokedEntry } from './certificate-factory.js'
import { DEFAULT_DAYS, lockOptionsOf, type CaOperationOptions } from './ca-operation-options.js'
import { encodableSpan } from './x509-time.js'

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
 * last and is committed to `state.json` before the CRL is put in place, so numbers strictly increase even
 * across crashes; a verifier can always tell the newer of two CRLs. Dates X.509 cannot hold are refused
 * (`UsageError`) before anything is written.
 *
 * @example
 * await generateCrl({ dir: '/srv/fedmsg-ca', outFile: '/srv/www/fedmsg/intermediate.crl', days: 7 })
 */
export async function generateCrl(options: GenerateCrlOptions): Promise<GeneratedCrl> {
  const dir = resolve(options.dir)
  const file = resolve(options.outFile)
  // Every input is checked before the first write: a refused CRL leaves the CRL number and the old CRL alone.
  const { start: thisUpdate, end: nextUpdate } = encodableSpan(
    options.days ?? DEFAULT_DAYS.crl,
    options.thisUpdate ?? new Date(),
    { start: 'thisUpdate', end: 'nextUpdate' },
  )
  assertNotCaFile(file, '--out')
  return withCaLock(
    dir,
    async () => {
      const ca = loadCaSigner(dir, options.passphrase)
      const crlNumber = ca.state.crlNumber + 1
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
      // Written beside its destination first: a missing directory or a full disk fails here, before the number
      // is spent; the old CRL is replaced only by a complete, well-formed new one.
      const staged = stageFile(file, encodePem(crl.rawData, PEM_LABEL.crl), { fs: options.fs })
      try {
        writeCaState(ca.layout.state, { ...ca.state, crlNumber }, options.fs)
      } catch (error) {
        staged.discard()
        throw error
      }
      staged.commit()
      return { file, crlNumber, thisUpdate, nextUpdate, revokedCount: entries.length }
    },
    lockOptionsOf(options),
  )
}
