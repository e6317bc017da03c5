/**
 * The chain checks decode a certificate's extensions straight from its one ASN.1 parse
 * (src/crypto/chain/certificate-extensions.ts) instead of through @peculiar/x509's extension classes, which
 * serialize each extension and parse it again. This pins that both read the same fields, for every certificate
 * of every named chain, healthy or faulty.
 */
import { AsnConvert } from '@peculiar/asn1-schema'
import { Certificate } from '@peculiar/asn1-x509'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeExtensions } from '../../src/crypto/chain/certificate-extensions.js'
import { x509 } from '../../src/crypto/x509.js'
import { CHAIN_FAULTS, CHAIN_VALID } from '../fixtures/chain-faults.js'
import { makePki, type Pki } from '../fixtures/pki.js'

let pki: Pki
beforeAll(async () => {
  pki = await makePki()
})

// What @peculiar/x509's classes read, in the shape decodeExtensions gives.
function throughX509Classes(der: Uint8Array) {
  const cert = new x509.X509Certificate(new Uint8Array(der))
  const basic = cert.getExtension(x509.BasicConstraintsExtension)
  return {
    basicConstraints: basic === null ? undefined : { ca: basic.ca, pathLength: basic.pathLength },
    keyUsage: cert.getExtension(x509.KeyUsagesExtension)?.usages,
    subjectKeyId: cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    authorityKeyId: cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
  }
}

describe('decodeExtensions reads what @peculiar/x509 reads', () => {
  it.each([...CHAIN_VALID, ...CHAIN_FAULTS].map(({ name, build }) => ({ name, build })))(
    '$name: every certificate of the chain and its anchors',
    async ({ build }) => {
      const chain = await build(pki)
      for (const der of [...chain.x5c, ...chain.anchors]) {
        const asn = AsnConvert.parse(der, Certificate)
        const oids = (asn.tbsCertificate.extensions ?? []).map((ext) => ext.extnID)
        const decoded = decodeExtensions(asn.tbsCertificate.extensions ?? [])
        if (new Set(oids).size !== oids.length) {
          expect(decoded.fault).toMatch(/appears twice/)
          continue
        }
        expect(decoded.fault).toBeUndefined()
        const fields = Object.fromEntries(
          Object.entries(decoded.fields).filter(([, value]) => value !== undefined),
        )
        const expected = Object.fromEntries(
          Object.entries(throughX509Classes(der)).filter(([, value]) => value !== undefined),
        )
        expect(fields).toEqual(expected)
      }
    },
  )

  it('an extension whose value does not decode is a fault, not an absent extension', async () => {
    const asn = AsnConvert.parse(pki.leaf.der, Certificate)
    const extensions = asn.tbsCertificate.extensions!
    const keyUsage = extensions.find((ext) => ext.extnID === '2.5.29.15')!
    keyUsage.extnValue.buffer = new Uint8Array([0x04, 0x01]).buffer
    expect(decodeExtensions(extensions)).toEqual({
      fields: {},
      fault: 'the value of extension 2.5.29.15 does not decode',
      unknownCritical: [],
    })
  })
})
