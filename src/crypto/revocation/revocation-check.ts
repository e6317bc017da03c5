import { Rejection } from '../../errors.js'
import type { IssuerRevocation } from './crl-set.js'

/** A certificate of the path (not the anchor) and what the CRLs say about its issuer. */
export interface RevocableCertificate {
  readonly subject: string
  readonly serial: bigint
  readonly issuedBy: IssuerRevocation
}

/**
 * RFC 5280 §6.3: revocation of every certificate of the path. All `revoked` checks come before any
 * `crl_unavailable`, as the reason order fixes; a CRL that is not current (past its nextUpdate, or before its
 * thisUpdate) still proves a revocation, but never that a certificate is not revoked.
 *
 * @example
 * ```ts
 * checkRevocation(certs, issuers, { now: Date.now(), requireCrls: false })
 * ```
 */
export function checkRevocation(
  certs: readonly RevocableCertificate[],
  issuers: readonly IssuerRevocation[],
  options: { readonly now: number; readonly requireCrls: boolean },
): void {
  for (const cert of certs) checkNotRevoked(cert)
  for (const issuer of issuers) checkCrlAvailable(issuer, options.now, options.requireCrls)
}

// RFC 5280 §6.3.3 (i): a serial listed on a CRL of the issuer is revoked.
function checkNotRevoked(cert: RevocableCertificate): void {
  if (cert.issuedBy.crls.some((crl) => crl.revoked.has(cert.serial))) {
    throw new Rejection(
      'revoked',
      `${cert.subject} (serial ${cert.serial.toString(16)}) is revoked by ${cert.issuedBy.issuer}`,
    )
  }
}

// RFC 5280 §6.3.3 (a)(2), (f): a CRL that names the issuer counts only when its signature verifies, and only
// from its thisUpdate to its nextUpdate: OpenSSL, too, refuses a CRL issued in the future (CRL_NOT_YET_VALID).
// With requireCrls, every issuer must have one (§6.3.3: otherwise status is UNDETERMINED).
function checkCrlAvailable(issuer: IssuerRevocation, now: number, requireCrls: boolean): void {
  if (issuer.crls.length === 0) {
    if (issuer.named) {
      throw new Rejection(
        'crl_unavailable',
        `no CRL naming ${issuer.issuer} verifies under its key, or its keyUsage lacks cRLSign`,
      )
    }
    if (requireCrls) {
      throw new Rejection('crl_unavailable', `no CRL configured for ${issuer.issuer}`)
    }
    return
  }
  if (!issuer.crls.some((crl) => crl.thisUpdate <= now && now <= crl.nextUpdate)) {
    throw new Rejection(
      'crl_unavailable',
      `no CRL of ${issuer.issuer} is current: each is past its nextUpdate or before its thisUpdate`,
    )
  }
}
