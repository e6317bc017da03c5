import { Rejection } from '../errors.js'
import {
  allowsKeyUsage,
  isCa,
  parseCertificateProfile,
  type CertificateProfile,
} from './certificate-profile.js'
import type { TrustAnchors } from './trust-anchors.js'
import { x509 } from './x509.js'

/** A certification path that chains to a configured trust anchor (RFC 5280 §6.1). */
export interface CertPath {
  /** Leaf first, then each issuer; the anchor is not included. */
  readonly certs: readonly CertificateProfile[]
  readonly anchor: CertificateProfile
}

/**
 * Builds and checks the path of an x5c that passed {@link checkX5cShape}: every certificate must parse
 * (`malformed`), then every RFC 5280 path rule that makes the chain untrustworthy (`untrusted_chain`). Leaf
 * usage, dates and revocation are checked by the caller.
 *
 * @example
 * ```ts
 * checkX5cShape(x5c, 4)
 * const { certs, anchor } = buildCertPath(x5c, anchors)
 * ```
 */
export function buildCertPath(x5c: readonly Uint8Array[], anchors: TrustAnchors): CertPath {
  const certs = dropAppendedAnchor(x5c.map(parseEntry), anchors)
  checkIssuedByNext(certs)
  const anchor = findIssuingAnchor(certs.at(-1)!, anchors)
  checkIssuersAreCas(certs)
  checkIssuersMaySignCertificates(certs)
  checkPathLengths(certs, anchor)
  checkCriticalExtensions(certs)
  return { certs, anchor }
}

/**
 * fedmsg/1 envelope: x5c is a list of 1..maxChainLength byte strings (the anchor, if appended, counts).
 * Checked before anything else so that no oversized list is hashed or parsed.
 *
 * @example
 * ```ts
 * checkX5cShape([leafDer, intermediateDer], 4) // returns, or throws Rejection('malformed')
 * ```
 */
export function checkX5cShape(x5c: readonly Uint8Array[], max: number): void {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > max) {
    throw new Rejection('malformed', `x5c must hold 1 to ${max} certificates`)
  }
  if (!x5c.every((der) => der instanceof Uint8Array)) {
    throw new Rejection('malformed', 'x5c entries must be DER bytes')
  }
}

function parseEntry(der: Uint8Array, index: number): CertificateProfile {
  try {
    return parseCertificateProfile(der)
  } catch (error) {
    throw new Rejection('malformed', `x5c[${index}] is not a DER certificate: ${String(error)}`)
  }
}

// fedmsg/1: the anchor is not sent, but a last element byte-identical to a configured anchor is allowed.
function dropAppendedAnchor(
  certs: readonly CertificateProfile[],
  anchors: TrustAnchors,
): CertificateProfile[] {
  if (anchors.identicalTo(certs.at(-1)!.der) === undefined) return [...certs]
  if (certs.length === 1) throw new Rejection('untrusted_chain', 'x5c holds only a trust anchor')
  return certs.slice(0, -1)
}

// RFC 5280 §6.1.3 (a)(1), (a)(4): each certificate's signature verifies under the next one's key and its
// issuer name is the next one's subject name. x5c is ordered (leaf first); it is never reordered.
function checkIssuedByNext(certs: readonly CertificateProfile[]): void {
  for (let i = 0; i + 1 < certs.length; i++) {
    const cert = certs[i]!
    const issuer = certs[i + 1]!
    if (cert.issuerName !== issuer.subjectName) {
      throw new Rejection(
        'untrusted_chain',
        `x5c[${i}] is not issued by x5c[${i + 1}] (names differ)`,
      )
    }
    if (!cert.node.verify(issuer.publicKey)) {
      throw new Rejection(
        'untrusted_chain',
        `x5c[${i}] signature does not verify under x5c[${i + 1}]`,
      )
    }
  }
}

// RFC 5280 §6.1.1 (d), §6.1.3 (a)(1): the last certificate is signed by a trust anchor's key. Names and key
// identifiers only preselect candidates; the signature is the proof.
function findIssuingAnchor(last: CertificateProfile, anchors: TrustAnchors): CertificateProfile {
  const anchor = anchors
    .candidatesFor(last)
    .find((candidate) => last.node.verify(candidate.publicKey))
  if (anchor === undefined) {
    throw new Rejection(
      'untrusted_chain',
      `no trust anchor issued ${last.subject} (${last.issuer})`,
    )
  }
  return anchor
}

// RFC 5280 §6.1.4 (k): every issuer in the path is a CA (basicConstraints present with cA true).
function checkIssuersAreCas(certs: readonly CertificateProfile[]): void {
  const notCa = certs.slice(1).find((cert) => !isCa(cert))
  if (notCa !== undefined) {
    throw new Rejection('untrusted_chain', `issuer ${notCa.subject} is not a CA (basicConstraints)`)
  }
}

// RFC 5280 §6.1.4 (n), §4.2.1.3: an issuer with keyUsage must have keyCertSign.
function checkIssuersMaySignCertificates(certs: readonly CertificateProfile[]): void {
  const issuer = certs
    .slice(1)
    .find((cert) => !allowsKeyUsage(cert, x509.KeyUsageFlags.keyCertSign))
  if (issuer !== undefined) {
    throw new Rejection('untrusted_chain', `issuer ${issuer.subject} lacks keyUsage keyCertSign`)
  }
}

// RFC 5280 §4.2.1.9, §6.1.4 (l), (m): pathLenConstraint bounds the intermediate CAs below an issuer. The anchor's
// constraint counts too. Self-issued intermediates are counted as well: stricter than §6.1.4 (l), never looser.
function checkPathLengths(certs: readonly CertificateProfile[], anchor: CertificateProfile): void {
  const issuers = [...certs.slice(1), anchor]
  issuers.forEach((issuer, index) => {
    const limit = issuer.basicConstraints!.pathLength
    if (limit !== undefined && index > limit) {
      throw new Rejection(
        'untrusted_chain',
        `${issuer.subject} allows ${limit} intermediate CAs below it, the path has ${index}`,
      )
    }
  })
}

// RFC 5280 §4.2, §6.1.4 (o), §6.1.5 (f): a certificate with a critical extension we do not process is refused.
function checkCriticalExtensions(certs: readonly CertificateProfile[]): void {
  const cert = certs.find((c) => c.unknownCriticalExtensions.length > 0)
  if (cert !== undefined) {
    throw new Rejection(
      'untrusted_chain',
      `${cert.subject} has unsupported critical extensions ${cert.unknownCriticalExtensions.join(', ')}`,
    )
  }
}
