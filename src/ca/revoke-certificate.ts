import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { CertInvalid, UsageError } from '../errors.js'
import { decodePemBlocks, PEM_LABEL } from '../crypto/pem.js'
import { nodeWebCrypto, x509 } from '../crypto/x509.js'
import { withCaLock } from './ca-lock.js'
import { loadCaCertificates, type CaCertificates } from './ca-directory.js'
import { findIssued, normalizeSerial, writeCaState, type IssuedRecord } from './ca-state.js'
import type { RevocationReason } from './certificate-factory.js'
import { lockOptionsOf, type CaOperationOptions } from './ca-operation-options.js'
import { assertEncodableTime } from './x509-time.js'

export interface RevokeOptions extends CaOperationOptions {
  readonly dir: string
  /** The certificate to revoke, by serial (hex, colons allowed)… */
  readonly serial?: string
  /** …or by its PEM file (the first certificate in it). */
  readonly certificateFile?: string
  /** Default `unspecified`. */
  readonly reason?: RevocationReason
  /** Revocation date; default now. */
  readonly at?: Date
}

/** The registry entry after revocation, and whether this call changed it. */
export interface RevokeResult {
  readonly record: IssuedRecord
  readonly changed: boolean
}

/**
 * Records a revocation in the CA's registry; `generateCrl` publishes it. Revoking again with the same reason
 * changes nothing; with another reason (say `keyCompromise` found after `superseded`) the reason is updated
 * and the date kept. Needs no CA key.
 *
 * @example
 * await revokeCertificate({ dir: '/srv/fedmsg-ca', serial: '4fa1…', reason: 'keyCompromise' })
 */
export async function revokeCertificate(options: RevokeOptions): Promise<RevokeResult> {
  const dir = resolve(options.dir)
  if ((options.serial === undefined) === (options.certificateFile === undefined)) {
    throw new UsageError('name the certificate to revoke with exactly one of --cert or --serial')
  }
  const reason = options.reason ?? 'unspecified'
  // The date goes into every later CRL: one X.509 cannot hold would break CRL generation for good.
  if (options.at !== undefined) assertEncodableTime(options.at, 'the revocation date')
  return withCaLock(
    dir,
    async () => {
      const ca = loadCaCertificates(dir)
      const serial = await serialToRevoke(ca, options)
      const record = findIssued(ca.state, serial)
      if (record === undefined) {
        throw new UsageError(
          `serial ${serial} was not issued by the CA in ${dir}: see fedmsg ca list --dir ${dir}`,
        )
      }
      if (record.revoked?.reason === reason) return { record, changed: false }
      const at = record.revoked?.at ?? (options.at ?? new Date()).toISOString()
      const revoked: IssuedRecord = { ...record, revoked: { at, reason } }
      const issued = ca.state.issued.map((entry) => (entry === record ? revoked : entry))
      writeCaState(ca.layout.state, { ...ca.state, issued }, options.fs)
      return { record: revoked, changed: true }
    },
    lockOptionsOf(options),
  )
}

async function serialToRevoke(ca: CaCertificates, options: RevokeOptions): Promise<string> {
  if (options.serial !== undefined) {
    try {
      return normalizeSerial(options.serial)
    } catch (error) {
      throw new UsageError(`--serial ${options.serial} is not a hex serial number`, {
        cause: error,
      })
    }
  }
  const path = options.certificateFile!
  const certificate = readCertificateFile(path)
  // A serial is unique only per issuer: make sure this CA signed the certificate before revoking its serial.
  const signedHere =
    certificate.issuer === ca.certificate.subject &&
    (await certificate.verify(
      { publicKey: ca.certificate.publicKey, signatureOnly: true },
      nodeWebCrypto,
    ))
  if (!signedHere) {
    throw new CertInvalid(
      `${path} was not issued by the CA in ${ca.layout.dir}: revoke it at its own CA`,
    )
  }
  return normalizeSerial(certificate.serialNumber)
}

function readCertificateFile(path: string): x509.X509Certificate {
  let der: Uint8Array | undefined
  try {
    der = decodePemBlocks(readFileSync(path, 'utf8'), PEM_LABEL.certificate)[0]
    if (der !== undefined) return new x509.X509Certificate(der.slice())
  } catch (error) {
    throw new CertInvalid(`cannot read certificate ${path}`, { cause: error })
  }
  throw new CertInvalid(`${path} holds no PEM certificate`)
}
