import { AsnConvert } from '@peculiar/asn1-schema'
import { CertificateList } from '@peculiar/asn1-x509'
import { CrlInvalid } from '../../errors.js'
import { allowsKeyUsage, type CertificateProfile } from '../chain/certificate-profile.js'
import { verifyCrlSignature, type SignedCrlPart } from './crl-signature.js'
import { LruCache } from '../lru-cache.js'
import { allowedSignatureParams } from '../chain/signature-algorithms.js'
import { x509 } from '../x509.js'

/** One CRL that verified under its issuer's key: what a per-message check needs. */
export interface IssuerCrl {
  /** A CRL is current from thisUpdate to nextUpdate, both inclusive (RFC 5280 §5.1.2.4, §5.1.2.5). */
  readonly thisUpdate: number
  readonly nextUpdate: number
  /** Revoked serial numbers as integers (RFC 5280 §5.2.3 compares certificate serial numbers). */
  readonly revoked: ReadonlyMap<bigint, RevokedSerial>
}

/** One CRL entry: what as-of checks (docs/protocol.md §4.6) read besides the serial. */
export interface RevokedSerial {
  /** The entry's revocationDate, ms since the epoch (RFC 5280 §5.3). */
  readonly revokedAt: number
  /**
   * Reason code keyCompromise, cACompromise or aACompromise (RFC 5280 §5.3.1): the key may have signed (or
   * issued a certificate for) anything, before this date too.
   */
  readonly compromised: boolean
}

/** What the configured CRLs say about one issuer. */
export interface IssuerRevocation {
  /** The issuer's subject, for details. */
  readonly issuer: string
  /** Some configured CRL names this issuer. */
  readonly named: boolean
  /**
   * The CRLs naming this issuer that verify under its key (and whose AKI, if any, is its SKI); none when the
   * issuer's keyUsage lacks cRLSign.
   */
  readonly crls: readonly IssuerCrl[]
}

interface ParsedCrl extends SignedCrlPart, IssuerCrl {
  readonly issuerName: string
  readonly authorityKeyId: string | undefined
}

// RFC 5280 §5.2 / §5.3: CRL and entry extensions we process or that carry no constraint. Any other critical
// one (deltaCRLIndicator, issuingDistributionPoint, certificateIssuer...) changes what the CRL covers.
const PROCESSED_EXTENSIONS: ReadonlySet<string> = new Set([
  '2.5.29.20', // cRLNumber
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.21', // reasonCode
  '2.5.29.24', // invalidityDate
])

const ISSUER_MEMO_SIZE = 256

/**
 * The configured CRLs, parsed once. Which CRL covers which issuer is decided per issuer certificate by its name,
 * its key identifier and, as the proof, the CRL's signature under its key; the answer is remembered (bounded).
 */
export class CrlSet {
  readonly #crls: readonly ParsedCrl[]
  readonly #byIssuer = new LruCache<string, IssuerRevocation>(ISSUER_MEMO_SIZE)

  /**
   * Throws `CrlInvalid` when a CRL does not parse, has no nextUpdate, or has a critical extension fedmsg does
   * not process.
   *
   * @example
   * ```ts
   * const crls = new CrlSet([rootCrlDer, intermediateCrlDer])
   * ```
   */
  constructor(ders: readonly Uint8Array[]) {
    this.#crls = ders.map((der, index) => parseCrl(der, `CRL #${index + 1}`))
  }

  /** What the CRLs say about certificates issued by `issuer`. */
  revocationOf(issuer: CertificateProfile): IssuerRevocation {
    let status = this.#byIssuer.get(issuer.fingerprint)
    if (status === undefined) {
      const named = this.#crls.filter((crl) => crl.issuerName === issuer.subjectName)
      const crls = named.filter((crl) => covers(crl, issuer))
      status = { issuer: issuer.subject, named: named.length > 0, crls }
      this.#byIssuer.set(issuer.fingerprint, status)
    }
    return status
  }
}

// RFC 5280 §6.3.3 (f): the CRL must be signed by the issuer's key, and an issuer certificate with keyUsage must
// allow cRLSign; §5.2.1: the CRL's AKI, if present, names that key.
function covers(crl: ParsedCrl, issuer: CertificateProfile): boolean {
  const keyIdsAgree =
    crl.authorityKeyId === undefined ||
    issuer.subjectKeyId === undefined ||
    crl.authorityKeyId === issuer.subjectKeyId
  return (
    keyIdsAgree &&
    allowsKeyUsage(issuer, x509.KeyUsageFlags.cRLSign) &&
    verifyCrlSignature(crl, issuer.publicKey)
  )
}

// A CA's stolen key is revoked as cACompromise (an attribute authority's as aACompromise), not keyCompromise.
const COMPROMISE_REASONS: ReadonlySet<x509.X509CrlReason | undefined> = new Set([
  x509.X509CrlReason.keyCompromise,
  x509.X509CrlReason.cACompromise,
  x509.X509CrlReason.aACompromise,
])

function parseCrl(der: Uint8Array, which: string): ParsedCrl {
  let asn: CertificateList
  let crl: x509.X509Crl
  try {
    asn = AsnConvert.parse(der, CertificateList)
    crl = new x509.X509Crl(Buffer.from(der))
  } catch (cause) {
    throw new CrlInvalid(`${which} is not a DER X.509 CRL: check the CRL file`, { cause })
  }
  const nextUpdate = crl.nextUpdate
  if (nextUpdate === undefined) {
    throw new CrlInvalid(
      `${which} (${crl.issuer}) has no nextUpdate (RFC 5280 §5.1.2.5): reissue it`,
    )
  }
  const critical = [...crl.extensions, ...crl.entries.flatMap((entry) => entry.extensions)]
    .filter((ext) => ext.critical && !PROCESSED_EXTENSIONS.has(ext.type))
    .map((ext) => ext.type)
  if (critical.length > 0) {
    throw new CrlInvalid(`${which} (${crl.issuer}) has unsupported critical extensions ${critical}`)
  }
  return {
    issuerName: Buffer.from(crl.issuerName.toArrayBuffer()).toString('hex'),
    authorityKeyId: crl.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
    thisUpdate: crl.thisUpdate.getTime(),
    nextUpdate: nextUpdate.getTime(),
    revoked: new Map(
      crl.entries.map((entry) => [
        BigInt(`0x${entry.serialNumber}`),
        {
          revokedAt: entry.revocationDate.getTime(),
          compromised: COMPROMISE_REASONS.has(entry.reason),
        },
      ]),
    ),
    tbs: new Uint8Array(asn.tbsCertListRaw!),
    signature: new Uint8Array(asn.signature),
    // docs/protocol.md §4.5: one allowlist for certificates and CRLs, both algorithm fields equal.
    algorithm: allowedSignatureParams(asn.tbsCertList.signature, asn.signatureAlgorithm),
  }
}
