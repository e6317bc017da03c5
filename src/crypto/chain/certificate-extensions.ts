import { AsnConvert } from '@peculiar/asn1-schema'
import {
  AuthorityKeyIdentifier,
  BasicConstraints as AsnBasicConstraints,
  ExtendedKeyUsage,
  KeyUsage,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  type Extension,
} from '@peculiar/asn1-x509'

/** basicConstraints (RFC 5280 §4.2.1.9). */
export interface BasicConstraints {
  readonly ca: boolean
  readonly pathLength: number | undefined
}

/** What the chain checks read from a certificate's extensions. */
export interface ExtensionFields {
  basicConstraints?: BasicConstraints
  /** keyUsage bit mask (x509.KeyUsageFlags). */
  keyUsage?: number
  subjectKeyId?: string
  authorityKeyId?: string
}

/** The decoded extensions, or why they are unusable (then `fields` is empty and must not be used). */
export interface DecodedExtensions {
  readonly fields: ExtensionFields
  readonly fault: string | undefined
  /** OIDs of critical extensions fedmsg does not process (RFC 5280 §4.2: such a certificate is refused). */
  readonly unknownCritical: readonly string[]
}

type Decoder = (value: ArrayBuffer, fields: ExtensionFields) => void

const hexOf = (octets: { readonly buffer: ArrayBuffer }) =>
  Buffer.from(octets.buffer).toString('hex')

/**
 * Extensions whose meaning fedmsg checks or which carry no constraint, each with its decoder. Any other
 * critical one is refused; any other non-critical one is ignored, its value never decoded. Each value is
 * decoded straight from the certificate's parse with the ASN.1 schema @peculiar/x509's extension classes use,
 * without their serialize-and-parse-again round trip (most of a cold chain check's time, measured).
 * extendedKeyUsage is decoded only to prove it decodes: its OIDs are read through OpenSSL (certificate-profile.ts).
 */
const DECODERS: ReadonlyMap<string, Decoder> = new Map<string, Decoder>([
  ['2.5.29.14', (v, f) => (f.subjectKeyId = hexOf(AsnConvert.parse(v, SubjectKeyIdentifier)))],
  ['2.5.29.15', (v, f) => (f.keyUsage = AsnConvert.parse(v, KeyUsage).toNumber())],
  ['2.5.29.17', (v) => AsnConvert.parse(v, SubjectAlternativeName)],
  [
    '2.5.29.19',
    (v, f) => {
      const { cA, pathLenConstraint } = AsnConvert.parse(v, AsnBasicConstraints)
      f.basicConstraints = { ca: cA, pathLength: pathLenConstraint }
    },
  ],
  [
    '2.5.29.35',
    (v, f) => {
      const { keyIdentifier } = AsnConvert.parse(v, AuthorityKeyIdentifier)
      if (keyIdentifier !== undefined) f.authorityKeyId = hexOf(keyIdentifier)
    },
  ],
  ['2.5.29.37', (v) => AsnConvert.parse(v, ExtendedKeyUsage)],
])

/**
 * RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension". The values
 * of the extensions fedmsg processes are decoded; one that does not decode is a fault, never "absent".
 *
 * @example
 * ```ts
 * const { fields, fault } = decodeExtensions(asn.tbsCertificate.extensions ?? [])
 * ```
 */
export function decodeExtensions(raw: readonly Extension[]): DecodedExtensions {
  const oids = raw.map((ext) => ext.extnID)
  const unknownCritical = raw
    .filter((ext) => ext.critical && !DECODERS.has(ext.extnID))
    .map((ext) => ext.extnID)
  const twice = oids.find((oid, index) => oids.indexOf(oid) !== index)
  if (twice !== undefined) {
    return { fields: {}, fault: `extension ${twice} appears twice`, unknownCritical: [] }
  }
  const fields: ExtensionFields = {}
  for (const ext of raw) {
    try {
      DECODERS.get(ext.extnID)?.(ext.extnValue.buffer, fields)
    } catch {
      const fault = `the value of extension ${ext.extnID} does not decode`
      return { fields: {}, fault, unknownCritical: [] }
    }
  }
  return { fields, fault: undefined, unknownCritical }
}
