import { randomBytes, type KeyObject } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import { CRLNumber, id_ce_cRLNumber } from '@peculiar/asn1-x509'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../crypto/chain/eku.js'
import { nodeWebCrypto, x509 } from '../crypto/x509.js'
import { certificateSigningAlgorithm, keyAlgorithmOf, toSigningCryptoKey } from './key-pair.js'
import { nameOf } from './common-name.js'
import { assertEncodableTime, assertTimesRoundTrip, encodableSpan } from './x509-time.js'

/** A certificate and the private key that signs with it. */
export interface Issuer {
  readonly certificate: x509.X509Certificate
  readonly privateKey: KeyObject
}

/**
 * Everything about one certificate, spelled out. The profiles below fill it in; tests use it directly to build
 * the faulty certificates the verifier must refuse (a leaf used as a CA, a missing EKU, a chain too long).
 */
export interface CertificateSpec {
  readonly subjectCn: string
  /** The signer; omitted for a self-signed certificate, signed by `selfKey`. */
  readonly issuer?: Issuer
  readonly publicKey: KeyObject
  /** Private key of a self-signed certificate. */
  readonly selfKey?: KeyObject
  readonly notBefore: Date
  readonly notAfter: Date
  /** Hex serial; random when omitted. */
  readonly serialHex?: string
  /** basicConstraints: `false` for an end entity, an object for a CA, `'omit'` to leave the extension out. */
  readonly ca: false | { readonly pathLength?: number } | 'omit'
  /** keyUsage flags (bit mask of x509.KeyUsageFlags); `undefined` leaves the extension out. */
  readonly keyUsage: number | undefined
  /** extendedKeyUsage OIDs; `undefined` leaves the extension out. */
  readonly extendedKeyUsage?: readonly string[]
}

/** A random positive serial of 127 bits (RFC 5280 §4.1.2.2: at most 20 octets; CA/B asks for >= 64 random bits). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16)
  // Clear the sign bit so the DER INTEGER stays positive and set the next one so it never shortens.
  bytes[0] = (bytes[0]! & 0x7f) | 0x40
  return bytes.toString('hex')
}

function spkiOf(publicKey: KeyObject): ArrayBuffer {
  const der = publicKey.export({ format: 'der', type: 'spki' })
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer
}

function keyAlgorithmOrThrow(key: KeyObject) {
  const alg = keyAlgorithmOf(key)
  if (alg === undefined) throw new TypeError(`unsupported CA key type ${key.asymmetricKeyType}`)
  return alg
}

/** Issues a certificate exactly as `spec` says. */
export async function buildCertificate(spec: CertificateSpec): Promise<x509.X509Certificate> {
  const signer = spec.issuer?.privateKey ?? spec.selfKey
  if (signer === undefined)
    throw new TypeError('a certificate needs an issuer or a self-signing key')
  const spki = spkiOf(spec.publicKey)
  const ski = await x509.SubjectKeyIdentifierExtension.create(spki, false, nodeWebCrypto)
  const extensions: x509.Extension[] = [ski]
  const issuerSki = spec.issuer
    ? spec.issuer.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId
    : ski.keyId
  if (issuerSki !== undefined) {
    extensions.push(new x509.AuthorityKeyIdentifierExtension(issuerSki, false))
  }
  if (spec.ca === false) {
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, true))
  } else if (spec.ca !== 'omit') {
    extensions.push(new x509.BasicConstraintsExtension(true, spec.ca.pathLength, true))
  }
  if (spec.keyUsage !== undefined) {
    extensions.push(new x509.KeyUsagesExtension(spec.keyUsage, true))
  }
  if (spec.extendedKeyUsage !== undefined) {
    extensions.push(new x509.ExtendedKeyUsageExtension([...spec.extendedKeyUsage], false))
  }
  assertEncodableTime(spec.notBefore, 'notBefore')
  assertEncodableTime(spec.notAfter, 'notAfter')
  const subject = nameOf(spec.subjectCn)
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: spec.serialHex ?? randomSerialHex(),
      subject,
      // The issuer's own Name object, not its string form: re-parsing a string would change how values are
      // encoded (UTF8String → PrintableString) and could break RFC 5280 §7.1 name chaining.
      issuer: spec.issuer ? spec.issuer.certificate.subjectName : subject,
      notBefore: spec.notBefore,
      notAfter: spec.notAfter,
      publicKey: spki,
      signingKey: await toSigningCryptoKey(signer),
      signingAlgorithm: certificateSigningAlgorithm(keyAlgorithmOrThrow(signer)),
      extensions,
    },
    nodeWebCrypto,
  )
  assertTimesRoundTrip(
    new x509.X509Certificate(certificate.rawData),
    [spec.notBefore, spec.notAfter],
    (parsed) => [parsed.notBefore, parsed.notAfter],
  )
  return certificate
}

const CA_KEY_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign

/** Validity window of a certificate issued now (or at `notBefore`) for `days`. */
export interface Validity {
  readonly notBefore: Date
  readonly notAfter: Date
}

/** `days` of validity from `notBefore` (default now). Throws `UsageError` for dates X.509 cannot hold. */
export function validityFor(days: number, notBefore: Date = new Date()): Validity {
  const { start, end } = encodableSpan(days, notBefore, { start: 'notBefore', end: 'notAfter' })
  return { notBefore: start, notAfter: end }
}

/** A self-signed root CA: basicConstraints CA:true critical, keyUsage keyCertSign+cRLSign critical, SKI/AKI. */
export function createRootCertificate(
  cn: string,
  keys: { privateKey: KeyObject; publicKey: KeyObject },
  validity: Validity,
  pathLength?: number,
): Promise<x509.X509Certificate> {
  return buildCertificate({
    subjectCn: cn,
    publicKey: keys.publicKey,
    selfKey: keys.privateKey,
    ...validity,
    ca: pathLength === undefined ? {} : { pathLength },
    keyUsage: CA_KEY_USAGE,
  })
}

/** An intermediate CA signed by `issuer`. */
export function createIntermediateCertificate(
  issuer: Issuer,
  cn: string,
  publicKey: KeyObject,
  validity: Validity,
  pathLength?: number,
  serialHex?: string,
): Promise<x509.X509Certificate> {
  return buildCertificate({
    subjectCn: cn,
    issuer,
    publicKey,
    ...validity,
    ...(serialHex === undefined ? {} : { serialHex }),
    ca: pathLength === undefined ? {} : { pathLength },
    keyUsage: CA_KEY_USAGE,
  })
}

/** A service (leaf) certificate: CN = service, CA:false, digitalSignature, the fedmsg message-signing EKU. */
export function createServiceCertificate(
  issuer: Issuer,
  service: string,
  publicKey: KeyObject,
  validity: Validity,
  serialHex?: string,
): Promise<x509.X509Certificate> {
  return buildCertificate({
    subjectCn: service,
    issuer,
    publicKey,
    ...validity,
    ...(serialHex === undefined ? {} : { serialHex }),
    ca: false,
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    extendedKeyUsage: [FEDMSG_MESSAGE_SIGNING_EKU],
  })
}

/** Reasons a certificate can be revoked for (RFC 5280 §5.3.1), by their CLI names. */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const
export type RevocationReason = (typeof REVOCATION_REASONS)[number]

export interface RevokedEntry {
  readonly serialHex: string
  readonly revokedAt: Date
  readonly reason: RevocationReason
}

export interface CrlSpec {
  readonly crlNumber: bigint
  readonly thisUpdate: Date
  readonly nextUpdate: Date
  readonly entries: readonly RevokedEntry[]
}

/** A v2 CRL signed by `issuer`, with CRLNumber and authorityKeyIdentifier (RFC 5280 §5.2.1, §5.2.3). */
export async function createCrl(issuer: Issuer, spec: CrlSpec): Promise<x509.X509Crl> {
  // The ASN.1 encoder takes a JS number; a CRL counter never gets near 2^53, but never wrap silently.
  if (spec.crlNumber < 0n || spec.crlNumber > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`CRL number ${spec.crlNumber} is out of range`)
  }
  const extensions: x509.Extension[] = [
    new x509.Extension(
      id_ce_cRLNumber,
      false,
      AsnConvert.serialize(new CRLNumber(Number(spec.crlNumber))),
    ),
  ]
  const aki = issuer.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId
  if (aki !== undefined) extensions.push(new x509.AuthorityKeyIdentifierExtension(aki, false))
  assertEncodableTime(spec.thisUpdate, 'thisUpdate')
  assertEncodableTime(spec.nextUpdate, 'nextUpdate')
  for (const entry of spec.entries)
    assertEncodableTime(entry.revokedAt, `revocation date of ${entry.serialHex}`)
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: issuer.certificate.subjectName,
      thisUpdate: spec.thisUpdate,
      nextUpdate: spec.nextUpdate,
      signingKey: await toSigningCryptoKey(issuer.privateKey),
      signingAlgorithm: certificateSigningAlgorithm(keyAlgorithmOrThrow(issuer.privateKey)),
      extensions,
      entries: spec.entries.map((entry) => ({
        serialNumber: entry.serialHex,
        revocationDate: entry.revokedAt,
        // RFC 5280 §5.3.1: the reason code unspecified (0) SHOULD be absent.
        reason: entry.reason === 'unspecified' ? undefined : x509.X509CrlReason[entry.reason],
      })),
    },
    nodeWebCrypto,
  )
  assertTimesRoundTrip(
    new x509.X509Crl(crl.rawData),
    [spec.thisUpdate, spec.nextUpdate],
    (parsed) => [parsed.thisUpdate, parsed.nextUpdate ?? new Date(NaN)],
  )
  return crl
}
