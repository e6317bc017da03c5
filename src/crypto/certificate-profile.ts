import { createHash, X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto'
import { x509 } from './x509.js'

/** basicConstraints (RFC 5280 §4.2.1.9). */
export interface BasicConstraints {
  readonly ca: boolean
  readonly pathLength: number | undefined
}

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
  /** OIDs of critical extensions fedmsg does not process (RFC 5280 §4.2: such a certificate is refused). */
  readonly unknownCriticalExtensions: readonly string[]
  /** SHA-256 of the DER, lower-case hex. */
  readonly fingerprint: string
}

/** Extensions whose meaning fedmsg checks or which carry no constraint; any other critical one is refused. */
const PROCESSED_EXTENSIONS: ReadonlySet<string> = new Set([
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.37', // extKeyUsage
])

const hexOf = (buffer: ArrayBuffer) => Buffer.from(buffer).toString('hex')

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
 * parser refuses it, when bytes trail the certificate, or when an extension appears twice (RFC 5280 §4.2);
 * the caller decides what that means. `node` is OpenSSL's parse of the same bytes, when the caller has it.
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
  const cert = new x509.X509Certificate(bytes)
  const extensions = cert.extensions
  const oids = extensions.map((ext) => ext.type)
  if (new Set(oids).size !== oids.length) throw new Error('an extension appears twice')
  const find = <T extends x509.Extension>(type: new (raw: BufferSource) => T): T | undefined =>
    extensions.find((ext): ext is T => ext instanceof type)
  const basic = find(x509.BasicConstraintsExtension)
  return {
    der: bytes,
    node,
    publicKey: node.publicKey,
    subjectName: hexOf(cert.subjectName.toArrayBuffer()),
    issuerName: hexOf(cert.issuerName.toArrayBuffer()),
    issuer: cert.issuer,
    subject: cert.subject,
    serial: BigInt(`0x${cert.serialNumber}`),
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    basicConstraints: basic && { ca: basic.ca, pathLength: basic.pathLength },
    keyUsage: find(x509.KeyUsagesExtension)?.usages,
    extendedKeyUsage: extendedKeyUsageOf(node),
    subjectKeyId: find(x509.SubjectKeyIdentifierExtension)?.keyId,
    authorityKeyId: find(x509.AuthorityKeyIdentifierExtension)?.keyId,
    commonNames: cert.subjectName.getField('CN'),
    unknownCriticalExtensions: extensions
      .filter((ext) => ext.critical && !PROCESSED_EXTENSIONS.has(ext.type))
      .map((ext) => ext.type),
    fingerprint: createHash('sha256').update(bytes).digest('hex'),
  }
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
