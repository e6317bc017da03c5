import { Rejection } from '../../errors.js'
import type { IssuerCrl, IssuerRevocation } from './crl-set.js'

/** A certificate of the path (not the anchor) and what the CRLs say about its issuer. */
export interface RevocableCertificate {
  readonly subject: string
  readonly serial: bigint
  readonly issuedBy: IssuerRevocation
}

/** How revocation is judged. */
export interface RevocationCheckOptions {
  readonly now: number
  readonly requireCrls: boolean
  /**
   * Judge as of `now`, a past instant (docs/protocol.md §4.6, `fedmsg archive verify`): an entry revokes from
   * its revocationDate on, or always when its reason is a compromise (key, CA or AA), and a covering CRL need not be current
   * at `now`. Default false: any listed serial is revoked and a current CRL is required (§4.4).
   */
  readonly asOf?: boolean
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
  options: RevocationCheckOptions,
): void {
  const asOf = options.asOf === true ? options.now : undefined
  for (const cert of certs) checkNotRevoked(cert, asOf)
  for (const issuer of issuers)
    checkCrlAvailable(issuer, asOf === undefined ? options.now : undefined, options.requireCrls)
}

// RFC 5280 §6.3.3 (i): a serial listed on a CRL of the issuer is revoked. As of a past instant, only from its
// revocationDate, except that a compromised key revokes everything it ever signed or issued (docs/protocol.md §4.6).
function checkNotRevoked(cert: RevocableCertificate, asOf: number | undefined): void {
  const listed = (crl: IssuerCrl): boolean => {
    const entry = crl.revoked.get(cert.serial)
    if (entry === undefined) return false
    return asOf === undefined || entry.compromised || entry.revokedAt <= asOf
  }
  if (cert.issuedBy.crls.some(listed)) {
    throw new Rejection(
      'revoked',
      `${cert.subject} (serial ${cert.serial.toString(16)}) is revoked by ${cert.issuedBy.issuer}`,
    )
  }
}

// RFC 5280 §6.3.3 (a)(2), (f): a CRL that names the issuer counts only when its signature verifies, and only
// from its thisUpdate to its nextUpdate: OpenSSL, too, refuses a CRL issued in the future (CRL_NOT_YET_VALID).
// With requireCrls, every issuer must have one (§6.3.3: otherwise status is UNDETERMINED). `now` is undefined
// as of a past instant: a later CRL is the evidence about earlier revocations, so currency is not asked.
function checkCrlAvailable(
  issuer: IssuerRevocation,
  now: number | undefined,
  requireCrls: boolean,
): void {
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
  if (now !== undefined && !issuer.crls.some((c) => c.thisUpdate <= now && now <= c.nextUpdate)) {
    throw new Rejection(
      'crl_unavailable',
      `no CRL of ${issuer.issuer} is current: each is past its nextUpdate or before its thisUpdate`,
    )
  }
}
