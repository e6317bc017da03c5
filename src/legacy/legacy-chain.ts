import type { KeyObject } from 'node:crypto'
import { CertInvalid, CrlInvalid, Rejection } from '../errors.js'
import { buildCertPath, type CertPath } from '../crypto/chain/chain-path.js'
import { TrustAnchors } from '../crypto/chain/trust-anchors.js'
import { checkValidityPeriods } from '../crypto/chain/validity-period.js'
import { CrlSet } from '../crypto/revocation/crl-set.js'
import { checkRevocation } from '../crypto/revocation/revocation-check.js'
import { PEM_LABEL } from '../crypto/pem.js'
import { toDerList } from '../crypto/envelope/verifier-options.js'
import type { SignerIdentity } from '../crypto/envelope/verified-message.js'

/** A legacy signing certificate that chains to the legacy CA: its key and who it names. */
export interface LegacySigner {
  readonly key: KeyObject
  readonly signer: SignerIdentity
}

/**
 * Python fedmsg's certificate check (OpenSSL's X509Store with the legacy CA, and its CRL with CRL_CHECK_ALL),
 * made with this project's RFC 5280 path code: the certificate a legacy message carries must be issued by a
 * configured CA, be valid now, and not be revoked. Unlike this project's leaf profile, no fedmsg/1 EKU is
 * required (legacy certificates never had one); the signer is the first subject CN, as Python fedmsg reads it.
 *
 * Not reproduced from Python fedmsg: its CRL cache. A CRL past its nextUpdate is `crl_unavailable` (Python kept
 * using the cached one until an error made it reload), and {@link setCrls} takes a new CRL at once.
 */
/** Certificates whose path is kept: a legacy bus repeats a few signers; an attacker's many new ones only evict. */
const PATH_CACHE_SIZE = 256

export class LegacyChain {
  readonly #anchors: TrustAnchors
  #crls: CrlSet
  // Parsing the certificate and building its path to the CA is most of a legacy check, and depends only on the
  // certificate and the fixed anchors: kept per certificate text. Dates and revocation are checked every time.
  readonly #paths = new Map<string, CertPath>()

  /** Throws `CertInvalid`/`CrlInvalid` when a CA certificate or CRL (PEM or DER) cannot be used. */
  constructor(caCerts: readonly (string | Uint8Array)[], crls: readonly (string | Uint8Array)[]) {
    this.#anchors = new TrustAnchors(
      toDerList(caCerts, PEM_LABEL.certificate, (m) => new CertInvalid(m)),
    )
    this.#crls = new CrlSet(toDerList(crls, PEM_LABEL.crl, (m) => new CrlInvalid(m)))
  }

  /** Replaces the CRLs; throws `CrlInvalid` and keeps the old ones when one is unusable. */
  setCrls(crls: readonly (string | Uint8Array)[]): void {
    this.#crls = new CrlSet(toDerList(crls, PEM_LABEL.crl, (m) => new CrlInvalid(m)))
  }

  /**
   * Throws `Rejection` with `malformed`, `untrusted_chain`, `bad_cert_usage` (no CN), `cert_expired`,
   * `cert_not_yet_valid`, `revoked` or `crl_unavailable`, the first that applies. `claimed` is told the
   * certificate's CN once its path to the CA is built, before dates and revocation are checked.
   */
  validate(
    certificatePem: string,
    now: number,
    claimed: (name: string) => void = () => undefined,
  ): LegacySigner {
    const { certs, anchor } = this.#pathOf(certificatePem)
    const leaf = certs[0]!
    const name = leaf.commonNames[0]
    // From here on a refusal names the CN the certificate claims, as fedmsg/1 refusals name theirs: a service
    // revoked or expired is then a cause of its own in the rejection log, not folded into another's.
    if (name !== undefined && name !== '') claimed(name)
    // OpenSSL checks dates at the time of verification only: a legacy timestamp is not signed-time evidence.
    checkValidityPeriods([leaf, anchor], { now, timestamp: now, skewMs: 0 })
    const issuedBy = this.#crls.revocationOf(anchor)
    checkRevocation([{ subject: leaf.subject, serial: leaf.serial, issuedBy }], [issuedBy], {
      now,
      requireCrls: false,
    })
    if (name === undefined || name === '') {
      throw new Rejection('bad_cert_usage', `legacy certificate ${leaf.subject} has no CN`)
    }
    return {
      key: leaf.publicKey,
      signer: Object.freeze({
        name,
        serial: leaf.serial.toString(16),
        fingerprint: leaf.fingerprint,
        issuer: leaf.issuer,
      }),
    }
  }

  /** The certificate's path to a configured CA; only a path that was built is kept (throws as buildCertPath). */
  #pathOf(certificatePem: string): CertPath {
    const kept = this.#paths.get(certificatePem)
    if (kept !== undefined) return kept
    const path = buildCertPath([certificateDer(certificatePem)], this.#anchors)
    if (this.#paths.size >= PATH_CACHE_SIZE) this.#paths.delete(this.#paths.keys().next().value!)
    this.#paths.set(certificatePem, path)
    return path
  }
}

function certificateDer(pem: string): Uint8Array {
  let ders: Uint8Array[]
  try {
    ders = toDerList([pem], PEM_LABEL.certificate, (m) => new CertInvalid(m))
  } catch (error) {
    throw new Rejection('malformed', `certificate is not a PEM certificate: ${String(error)}`)
  }
  if (ders.length !== 1) {
    throw new Rejection('malformed', `certificate holds ${ders.length} PEM blocks, not 1`)
  }
  return ders[0]!
}
