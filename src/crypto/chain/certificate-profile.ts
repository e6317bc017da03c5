import { createHash, X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import { Certificate } from '@peculiar/asn1-x509'
import { allowedSignatureParams, type SignatureParams } from './signature-algorithms.js'
import { x509 } from '../x509.js'
import { decodeExtensions, type BasicConstraints } from './certificate-extensions.js'

export type { BasicConstraints } from './certificate-extensions.js'

/**
 * What the chain checks need of one certificate, read once from its DER. Signatures are checked through `node`
 * (OpenSSL); @peculiar/x509 only reads fields.
 */
export interface CertificateProfile {
  readonly der: Buffer
  /** OpenSSL's view, for `verify(publicKey)`. */
  readonly node: NodeCertificate
  readonly publicKey: KeyObject
  /** DER of the subject and issuer names, hex: compared byte for byte. */
  readonly subjectName: string
  readonly issuerName: string
  /** The issuer name as an RFC 4514 string, for people. */
  readonly issuer: string
  readonly subject: string
  readonly serial: bigint
  readonly notBefore: number
  readonly notAfter: number
  readonly basicConstraints: BasicConstraints | undefined
  /** keyUsage bit mask (x509.KeyUsageFlags); undefined when the extension is absent. */
  readonly keyUsage: number | undefined
  /** extendedKeyUsage OIDs; undefined when the extension is absent. */
  readonly extendedKeyUsage: readonly string[] | undefined
  readonly subjectKeyId: string | undefined
  readonly authorityKeyId: string | undefined
  readonly commonNames: readonly string[]
  /** The ASN.1 string type of each CN, in the same order: 'utf8String', 'printableString', 'bmpString', ... */
  readonly commonNameTypes: readonly string[]
  /**
   * How to verify this certificate's signature: undefined when its algorithm is not on the allowlist of
   * docs/protocol.md §4.5, or tbsCertificate.signature differs from signatureAlgorithm.
   */
  readonly signatureAlgorithm: SignatureParams | undefined
  /**
   * Why the extensions are unusable: an extension appears twice, or the value of one fedmsg processes does not
   * decode (RFC 5280 §4.2). The extension fields above are then incomplete and must not be used.
   */
  readonly extensionFault: string | undefined
  /** OIDs of critical extensions fedmsg does not process (RFC 5280 §4.2: such a certificate is refused). */
  readonly unknownCriticalExtensions: readonly string[]
  /** SHA-256 of the DER, lower-case hex. */
  readonly fingerprint: string
}

/** id-at-commonName (RFC 5280 §4.1.2.4, X.520). */
const COMMON_NAME_OID = '2.5.4.3'

// EKU is read through OpenSSL: @peculiar/x509 (asn1js) decodes an OID arc above 2^53, like the one of the
// fedmsg EKU, as "2.25.{hex}". Node >= 22 calls the list `extKeyUsage`; Node 20 only has `keyUsage`.
function extendedKeyUsageOf(node: NodeCertificate): readonly string[] | undefined {
  /* v8 ignore next -- only one side runs on a given Node version */
  return 'extKeyUsage' in node ? (node.extKeyUsage as string[] | undefined) : node.keyUsage
}

/**
 * OpenSSL's parse of one DER certificate: the cheap half of {@link parseCertificateProfile}, enough to read
 * names and keys. Throws (with the parser's error) when OpenSSL refuses it or when bytes trail it.
 *
 * @example
 * ```ts
 * parseNativeCertificate(der).issuer // 'CN=Fedmsg Test Intermediate'
 * ```
 */
export function parseNativeCertificate(der: Uint8Array): NodeCertificate {
  const bytes = Buffer.from(der.buffer, der.byteOffset, der.byteLength)
  const node = new NodeCertificate(bytes)
  if (!node.raw.equals(bytes)) throw new Error('bytes trail the certificate')
  return node
}

/**
 * Parses one DER certificate into a {@link CertificateProfile}. Throws (with the parser's error) when either
 * parser refuses it or when bytes trail the certificate; the caller decides what that means. Duplicate or
 * undecodable extensions do not throw: they are reported in `extensionFault`, so that the caller can judge the
 * chain's signatures first. `node` is OpenSSL's parse of the same bytes, when the caller has it.
 *
 * @example
 * ```ts
 * const profile = parseCertificateProfile(der)
 * profile.commonNames // ['bodhi']
 * ```
 */
export function parseCertificateProfile(
  der: Uint8Array,
  node: NodeCertificate = parseNativeCertificate(der),
): CertificateProfile {
  const bytes = Buffer.from(der)
  const asn = AsnConvert.parse(bytes, Certificate)
  const tbs = asn.tbsCertificate
  const { fields, fault, unknownCritical } = decodeExtensions(tbs.extensions ?? [])
  const commonNames = tbs.subject
    .flatMap((rdn) => rdn)
    .filter((attribute) => attribute.type === COMMON_NAME_OID)
  return {
    der: bytes,
    node,
    publicKey: node.publicKey,
    subjectName: Buffer.from(AsnConvert.serialize(tbs.subject)).toString('hex'),
    issuerName: Buffer.from(AsnConvert.serialize(tbs.issuer)).toString('hex'),
    issuer: new x509.Name(tbs.issuer).toString(),
    subject: new x509.Name(tbs.subject).toString(),
    serial: serialOf(tbs.serialNumber),
    notBefore: tbs.validity.notBefore.getTime().getTime(),
    notAfter: tbs.validity.notAfter.getTime().getTime(),
    basicConstraints: fields.basicConstraints,
    keyUsage: fields.keyUsage,
    extendedKeyUsage: extendedKeyUsageOf(node),
    subjectKeyId: fields.subjectKeyId,
    authorityKeyId: fields.authorityKeyId,
    commonNames: commonNames.map((cn) => cn.value.toString()),
    commonNameTypes: commonNames.map((cn) => stringTypeOf(cn.value)),
    signatureAlgorithm: allowedSignatureParams(tbs.signature, asn.signatureAlgorithm),
    extensionFault: fault,
    unknownCriticalExtensions: unknownCritical,
    fingerprint: createHash('sha256').update(bytes).digest('hex'),
  }
}

// The serial as an unsigned integer of its content octets, as @peculiar/x509's hex serialNumber read it.
function serialOf(content: ArrayBuffer): bigint {
  return BigInt(`0x${Buffer.from(content).toString('hex')}`)
}

// The CHOICE of DirectoryString (RFC 5280 §4.1.2.4) a CN was written with; asn1-schema sets exactly one (an
// unknown string type lands in `anyValue`).
function stringTypeOf(value: object): string {
  const set = Object.entries(value).find(([, member]) => member !== undefined)
  /* v8 ignore next -- a parsed CHOICE always has a member set */
  return set?.[0] ?? 'none'
}

/**
 * True when `profile` is a CA certificate: basicConstraints cA true (RFC 5280 §4.2.1.9).
 *
 * @example
 * ```ts
 * isCa(parseCertificateProfile(rootDer)) // true
 * ```
 */
export const isCa = (profile: CertificateProfile): boolean => profile.basicConstraints?.ca === true

/**
 * True when keyUsage is absent or has `flag` (RFC 5280 §4.2.1.3: absent means unrestricted).
 *
 * @example
 * ```ts
 * allowsKeyUsage(profile, x509.KeyUsageFlags.keyCertSign)
 * ```
 */
export const allowsKeyUsage = (profile: CertificateProfile, flag: number): boolean =>
  profile.keyUsage === undefined || (profile.keyUsage & flag) !== 0
