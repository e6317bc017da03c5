import 'reflect-metadata'
import { AsnConvert } from '@peculiar/asn1-schema'
import { RSAPublicKey } from '@peculiar/asn1-rsa'
import { ECParameters } from '@peculiar/asn1-ecc'
import { Certificate } from '@peculiar/asn1-x509'
import * as x509 from '@peculiar/x509'
import { Rejection } from '../errors.js'
import type { LeafKeyInfo } from './webcrypto-algorithms.js'

// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill loaded
// first (as src/crypto/x509.ts does on Node); in a browser it uses globalThis.crypto by default.

/** One certificate of an x5c or an anchor, parsed once for the browser checks. */
export interface BrowserCertificate {
  readonly der: Uint8Array
  readonly cert: x509.X509Certificate
  readonly asn: Certificate
}

/** Parses DER, else `Rejection('malformed')` naming the x5c entry. */
export function parseCertificate(der: Uint8Array<ArrayBuffer>, what: string): BrowserCertificate {
  try {
    return { der, cert: new x509.X509Certificate(der), asn: AsnConvert.parse(der, Certificate) }
  } catch (error) {
    throw new Rejection('malformed', `${what} is not a DER certificate: ${String(error)}`)
  }
}

/** Parses the PEM CERTIFICATE blocks of `pem` (configuration: a bad anchor is a TypeError, not a verdict). */
export function parseAnchors(pems: readonly string[]): BrowserCertificate[] {
  return pems.flatMap((pem) =>
    x509.PemConverter.decode(pem).map((der, index) => {
      try {
        return parseCertificate(new Uint8Array(der), `trust anchor ${index}`)
      } catch (error) {
        throw new TypeError(`trust anchor is not a certificate: ${String(error)}`)
      }
    }),
  )
}

/** The subject CNs of a certificate with the ASN.1 string type of each (RFC 5280 §4.1.2.6 DirectoryString). */
export function commonNamesOf(cert: BrowserCertificate): { value: string; type: string }[] {
  const names: { value: string; type: string }[] = []
  for (const rdn of cert.asn.tbsCertificate.subject) {
    for (const attribute of rdn) {
      if (attribute.type !== '2.5.4.3') continue
      const value = attribute.value
      const type = (
        ['utf8String', 'printableString', 'teletexString', 'bmpString', 'universalString'] as const
      ).find((choice) => value[choice] !== undefined)
      names.push({ value: value.toString(), type: type ?? 'anyValue' })
    }
  }
  return names
}

/** What the algorithm check needs to know about the leaf's key. */
export function leafKeyInfo(leaf: BrowserCertificate): LeafKeyInfo {
  const spki = leaf.asn.tbsCertificate.subjectPublicKeyInfo
  const oid = spki.algorithm.algorithm
  const raw = AsnConvert.serialize(spki)
  const params = spki.algorithm.parameters
  if (oid === '1.2.840.10045.2.1' && params) {
    return { spki: raw, oid, curveOid: AsnConvert.parse(params, ECParameters).namedCurve }
  }
  if (oid === '1.2.840.113549.1.1.1') {
    const modulus = new Uint8Array(AsnConvert.parse(spki.subjectPublicKey, RSAPublicKey).modulus)
    const start = modulus.findIndex((byte) => byte !== 0)
    const bits = start < 0 ? 0 : (modulus.length - start) * 8 - Math.clz32(modulus[start]!) + 24
    return { spki: raw, oid, modulusBits: bits }
  }
  return { spki: raw, oid }
}
