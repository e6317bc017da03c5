import type { X509Certificate as NodeCertificate } from 'node:crypto'
import { CertInvalid } from '../../errors.js'
import {
  allowsKeyUsage,
  isCa,
  parseCertificateProfile,
  type CertificateProfile,
} from './certificate-profile.js'
import { x509 } from '../x509.js'

/**
 * The configured trust anchors, parsed and checked once. An anchor is trusted by configuration, so only what
 * makes it usable as an issuer is checked here; its dates are checked on every message.
 */
export class TrustAnchors {
  readonly #anchors: readonly CertificateProfile[]

  /**
   * Throws `CertInvalid` when the list is empty, or an anchor does not parse or is not a CA certificate.
   *
   * @example
   * ```ts
   * const anchors = new TrustAnchors([rootDer])
   * ```
   */
  constructor(ders: readonly Uint8Array[]) {
    if (ders.length === 0) {
      throw new CertInvalid('no trust anchors configured: name at least one CA certificate')
    }
    this.#anchors = ders.map((der, index) => checkAnchor(parseAnchor(der, index), index))
  }

  /** The anchor byte-identical to `der`, if any. */
  identicalTo(der: Uint8Array): CertificateProfile | undefined {
    return this.#anchors.find((anchor) => anchor.der.equals(der))
  }

  /**
   * The anchors, in configuration order, whose subject name prints as `cert`'s issuer name and under whose key
   * `cert`'s signature verifies: a test on OpenSSL's parse alone, looser than {@link candidatesFor} on names,
   * never on the signature.
   */
  signersOf(cert: NodeCertificate): CertificateProfile[] {
    return this.#anchors.filter(
      (anchor) => anchor.node.subject === cert.issuer && cert.verify(anchor.publicKey),
    )
  }

  /**
   * Anchors that may have issued `cert`: subject name equal to its issuer name and, when both identifiers are
   * present, SKI equal to its AKI. Only a preselection: the caller proves issuance by the signature.
   */
  candidatesFor(cert: CertificateProfile): CertificateProfile[] {
    return this.#anchors.filter(
      (anchor) =>
        anchor.subjectName === cert.issuerName &&
        (anchor.subjectKeyId === undefined ||
          cert.authorityKeyId === undefined ||
          anchor.subjectKeyId === cert.authorityKeyId),
    )
  }
}

function parseAnchor(der: Uint8Array, index: number): CertificateProfile {
  try {
    return parseCertificateProfile(der)
  } catch (cause) {
    throw new CertInvalid(
      `trust anchor #${index + 1} is not a DER X.509 certificate: check the anchor file`,
      { cause },
    )
  }
}

// RFC 5280 §6.1.4 (k), (n) and §4.2: an issuer must be a CA allowed to sign certificates, with no critical
// extension we do not process.
function checkAnchor(anchor: CertificateProfile, index: number): CertificateProfile {
  const which = `trust anchor #${index + 1} (${anchor.subject})`
  if (anchor.extensionFault !== undefined) {
    throw new CertInvalid(`${which} is unusable: ${anchor.extensionFault}; check the anchor file`)
  }
  if (!isCa(anchor)) {
    throw new CertInvalid(
      `${which} is not a CA certificate (basicConstraints cA): configure the CA`,
    )
  }
  if (!allowsKeyUsage(anchor, x509.KeyUsageFlags.keyCertSign)) {
    throw new CertInvalid(`${which} may not sign certificates (keyUsage lacks keyCertSign)`)
  }
  if (anchor.unknownCriticalExtensions.length > 0) {
    throw new CertInvalid(
      `${which} has unsupported critical extensions ${anchor.unknownCriticalExtensions.join(', ')}`,
    )
  }
  return anchor
}
