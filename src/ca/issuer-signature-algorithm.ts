import { AsnConvert } from '@peculiar/asn1-schema'
import { Certificate } from '@peculiar/asn1-x509'
import { CertInvalid } from '../errors.js'
import { allowedSignatureParams } from '../crypto/chain/signature-algorithms.js'
import type { CaCertificates } from './ca-directory.js'

/**
 * Refuses to issue under a CA whose certificate, or one above it short of the root, is signed with an algorithm
 * off the allowlist of docs/protocol.md §4.5 (SHA-1, MD5, ...): every verifier refuses chains through it, so
 * what it issued would be useless. The root's self-signature is not checked, as verifiers do not check it.
 * CRLs are still made (`fedmsg ca crl` does not call this), so what such a CA issued stays revocable.
 *
 * @example
 * ```ts
 * assertIssuableCa(loadCaSigner(dir)) // throws CertInvalid for a CA certified with SHA-1
 * ```
 */
export function assertIssuableCa(ca: CaCertificates): void {
  const root = Buffer.from(ca.root.rawData)
  for (const certificate of [ca.certificate, ...ca.chain]) {
    if (Buffer.from(certificate.rawData).equals(root)) continue
    const asn = AsnConvert.parse(certificate.rawData, Certificate)
    if (
      allowedSignatureParams(asn.tbsCertificate.signature, asn.signatureAlgorithm) === undefined
    ) {
      throw new CertInvalid(
        `${certificate.subject} is signed with ${asn.signatureAlgorithm.algorithm}, which verifiers refuse ` +
          '(docs/protocol.md §4.5): re-certify this CA with SHA-256 or better before issuing from it',
      )
    }
  }
}
