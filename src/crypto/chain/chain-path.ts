import { Rejection } from '../../errors.js'
import type { KeyObject, X509Certificate as NodeCertificate } from 'node:crypto'
import {
  allowsKeyUsage,
  isCa,
  parseCertificateProfile,
  parseNativeCertificate,
  type CertificateProfile,
} from './certificate-profile.js'
import type { ParsedIssuers } from './parsed-issuers.js'
import type { TrustAnchors } from './trust-anchors.js'
import { x509 } from '../x509.js'

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
 * Forged chains are made cheap to refuse (docs/threat-model.md R3): OpenSSL parses every element first, and a
 * chain that does not link up to a configured anchor by names and signatures is refused before the costly full
 * parse of its fields.
 *
 * @example
 * ```ts
 * checkX5cShape(x5c, 4)
 * const { certs, anchor } = buildCertPath(x5c, anchors)
 * ```
 */
export function buildCertPath(
  x5c: readonly Uint8Array[],
  anchors: TrustAnchors,
  issuers?: ParsedIssuers,
): CertPath {
  // The leaf (index 0) is new for every signer key; issuers repeat, and their parse is remembered.
  const known = x5c.map((der, index) => (index > 0 ? issuers?.get(der) : undefined))
  const parsed = x5c.map((der, index) => known[index]?.node ?? parseNativeEntry(der, index))
  const natives = dropAppendedAnchor(x5c, parsed, anchors)
  const signers = checkLinksNatively(natives, anchors)
  const certs = natives.map((node, index) => known[index] ?? parseEntry(x5c[index]!, node, index))
  checkIssuedByNext(certs)
  const anchor = findIssuingAnchor(certs.at(-1)!, anchors, signers)
  checkSignatureAlgorithms(certs)
  checkExtensionsDecode(certs)
  checkIssuersAreCas(certs)
  checkIssuersMaySignCertificates(certs)
  checkPathLengths(certs, anchor)
  checkCriticalExtensions(certs)
  certs.forEach((cert, index) => {
    if (index > 0 && known[index] === undefined) issuers?.remember(cert)
  })
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

function parseNativeEntry(der: Uint8Array, index: number): NodeCertificate {
  try {
    return parseNativeCertificate(der)
  } catch (error) {
    throw new Rejection('malformed', `x5c[${index}] is not a DER certificate: ${String(error)}`)
  }
}

function parseEntry(der: Uint8Array, node: NodeCertificate, index: number): CertificateProfile {
  try {
    return parseCertificateProfile(der, node)
  } catch (error) {
    throw new Rejection('malformed', `x5c[${index}] is not a DER certificate: ${String(error)}`)
  }
}

// fedmsg/1: the anchor is not sent, but a last element byte-identical to a configured anchor is allowed.
function dropAppendedAnchor(
  x5c: readonly Uint8Array[],
  natives: readonly NodeCertificate[],
  anchors: TrustAnchors,
): NodeCertificate[] {
  if (anchors.identicalTo(x5c.at(-1)!) === undefined) return [...natives]
  if (natives.length === 1) throw new Rejection('untrusted_chain', 'x5c holds only a trust anchor')
  return natives.slice(0, -1)
}

// Rules 4 and 5 (docs/protocol.md §4.3) on OpenSSL's parse alone, before the costly full parse: each
// certificate's issuer name, as OpenSSL prints it, is the next one's subject name and its signature verifies
// under the next one's key; the last one's issuer is an anchor under whose key it verifies. Equal DER names
// always print alike, so this refuses no chain that checkIssuedByNext and findIssuingAnchor would accept.
// These are the chain's only signature checks: it returns the anchors that verified the last certificate, and
// the DER-level rules after the full parse only compare names and key identifiers.
function checkLinksNatively(
  natives: readonly NodeCertificate[],
  anchors: TrustAnchors,
): readonly CertificateProfile[] {
  natives.slice(0, -1).forEach((cert, i) => {
    const next = natives[i + 1]!
    if (cert.issuer !== next.subject) {
      throw new Rejection(
        'untrusted_chain',
        `x5c[${i}] is not issued by x5c[${i + 1}] (names differ)`,
      )
    }
    if (!cert.verify(publicKeyOf(next, i + 1))) {
      throw new Rejection(
        'untrusted_chain',
        `x5c[${i}] signature does not verify under x5c[${i + 1}]`,
      )
    }
  })
  const last = natives.at(-1)!
  const signers = anchors.signersOf(last)
  if (signers.length === 0) {
    throw new Rejection(
      'untrusted_chain',
      `no trust anchor issued ${last.subject} (${last.issuer})`,
    )
  }
  return signers
}

function publicKeyOf(node: NodeCertificate, index: number): KeyObject {
  try {
    return node.publicKey
  } catch (error) {
    throw new Rejection('malformed', `x5c[${index}] has no usable public key: ${String(error)}`)
  }
}

// RFC 5280 §6.1.3 (a)(4): each certificate's issuer name is the next one's subject name, compared as DER bytes.
// x5c is ordered (leaf first); it is never reordered. The signatures, §6.1.3 (a)(1), were verified by
// checkLinksNatively on the same certificates and keys.
function checkIssuedByNext(certs: readonly CertificateProfile[]): void {
  for (let i = 0; i + 1 < certs.length; i++) {
    if (certs[i]!.issuerName !== certs[i + 1]!.subjectName) {
      throw new Rejection(
        'untrusted_chain',
        `x5c[${i}] is not issued by x5c[${i + 1}] (names differ)`,
      )
    }
  }
}

// RFC 5280 §6.1.1 (d), §6.1.3 (a)(1): the last certificate is signed by a trust anchor's key. Names and key
// identifiers select the candidates, in configuration order; the first whose key verified the signature
// (`signers`, from checkLinksNatively) is the anchor.
function findIssuingAnchor(
  last: CertificateProfile,
  anchors: TrustAnchors,
  signers: readonly CertificateProfile[],
): CertificateProfile {
  const anchor = anchors.candidatesFor(last).find((candidate) => signers.includes(candidate))
  if (anchor === undefined) {
    throw new Rejection(
      'untrusted_chain',
      `no trust anchor issued ${last.subject} (${last.issuer})`,
    )
  }
  return anchor
}

// docs/protocol.md §4.5, rule 4: a signature proves issuance only when made with an algorithm of the allowlist,
// named alike in tbsCertificate.signature and signatureAlgorithm. OpenSSL verified the links with whatever the
// certificate names (SHA-1 and MD5 included), so a link it accepted is refused here.
function checkSignatureAlgorithms(certs: readonly CertificateProfile[]): void {
  const index = certs.findIndex((cert) => cert.signatureAlgorithm === undefined)
  if (index >= 0) {
    throw new Rejection(
      'untrusted_chain',
      `x5c[${index}] is signed with an algorithm off the allowlist, or its two algorithm fields differ`,
    )
  }
}

// Rule 5a, after the signatures on purpose (docs/threat-model.md R3): no extension twice, and every extension
// fedmsg processes decodes (RFC 5280 §4.2).
function checkExtensionsDecode(certs: readonly CertificateProfile[]): void {
  const index = certs.findIndex((cert) => cert.extensionFault !== undefined)
  if (index >= 0) {
    throw new Rejection('malformed', `x5c[${index}]: ${certs[index]!.extensionFault}`)
  }
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
