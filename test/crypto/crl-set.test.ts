import { sign, type KeyObject } from 'node:crypto'
import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import { AlgorithmIdentifier, CertificateList, Extension } from '@peculiar/asn1-x509'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseCertificateProfile } from '../../src/crypto/chain/certificate-profile.js'
import type { SignatureParams } from '../../src/crypto/chain/signature-algorithms.js'
import { CrlSet } from '../../src/crypto/revocation/crl-set.js'
import { verifyCrlSignature } from '../../src/crypto/revocation/crl-signature.js'
import { crlOf, makePki, type Pki } from '../fixtures/pki.js'
import { check } from './chain-check.js'

/** Re-signs (ES256) a CRL after `mutate` changed its parsed form: for CRLs our CA code would never make. */
function resignCrl(
  der: Uint8Array,
  key: KeyObject,
  mutate: (crl: CertificateList) => void,
  digest = 'sha256',
): Uint8Array {
  const asn = AsnConvert.parse(der, CertificateList)
  mutate(asn)
  asn.tbsCertListRaw = undefined
  const tbs = Buffer.from(AsnConvert.serialize(asn.tbsCertList))
  const signature = sign(digest, tbs, { key, dsaEncoding: 'der' })
  asn.signature = signature.buffer.slice(
    signature.byteOffset,
    signature.byteOffset + signature.byteLength,
  ) as ArrayBuffer
  return new Uint8Array(AsnConvert.serialize(asn))
}

const criticalExtension = (oid: string) =>
  new Extension({ extnID: oid, critical: true, extnValue: new OctetString(new Uint8Array([5, 0])) })

/** What a validator with `crls` says about the healthy chain. */
const reasonWith = (crls: readonly Uint8Array[]) =>
  check({ leaf: pki.leaf, x5c: pki.chain, anchors: pki.anchors, crls })

let pki: Pki
let revokingLeaf: Uint8Array
beforeAll(async () => {
  pki = await makePki('es256')
  revokingLeaf = await crlOf(pki.intermediate, [pki.leaf])
})

describe('configured CRLs that cannot be used → CrlInvalid', () => {
  const cases: { name: string; crl: () => Uint8Array }[] = [
    { name: 'not DER', crl: () => new Uint8Array([0x30, 0x01, 0x00]) },
    {
      name: 'no nextUpdate (RFC 5280 §5.1.2.5)',
      crl: () =>
        resignCrl(pki.intermediateCrl, pki.intermediate.privateKey, (c) => {
          c.tbsCertList.nextUpdate = undefined
        }),
    },
    {
      name: 'a critical deltaCRLIndicator (RFC 5280 §5.2.4)',
      crl: () =>
        resignCrl(pki.intermediateCrl, pki.intermediate.privateKey, (c) => {
          c.tbsCertList.crlExtensions!.push(criticalExtension('2.5.29.27'))
        }),
    },
    {
      name: 'a critical certificateIssuer entry extension (RFC 5280 §5.3.3)',
      crl: () =>
        resignCrl(revokingLeaf, pki.intermediate.privateKey, (c) => {
          const entry = c.tbsCertList.revokedCertificates![0]!
          entry.crlEntryExtensions = [
            ...(entry.crlEntryExtensions ?? []),
            criticalExtension('2.5.29.29'),
          ]
        }),
    },
  ]
  it.each(cases)('$name', ({ crl }) => {
    expect(() => new CrlSet([crl()])).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CRL_INVALID' }),
    )
  })
})

describe('coverage of an issuer', () => {
  it('serials compare as integers: an entry encoded with leading zero octets revokes', () => {
    const padded = resignCrl(revokingLeaf, pki.intermediate.privateKey, (c) => {
      const entry = c.tbsCertList.revokedCertificates![0]!
      const serial = new Uint8Array(entry.userCertificate)
      entry.userCertificate = new Uint8Array([0, 0, ...serial]).buffer
    })
    expect(
      AsnConvert.parse(padded, CertificateList).tbsCertList.revokedCertificates![0]!.userCertificate
        .byteLength,
    ).toBe(pki.leaf.certificate.serialNumber.length / 2 + 2)
    expect(reasonWith([pki.rootCrl, padded])).toBe('revoked')
  })

  it('a CRL whose outer signatureAlgorithm differs from the signed one never counts (RFC 5280 §5.1.1.2)', () => {
    // Signed with SHA-384 as the outer algorithm says, while tbsCertList says SHA-256.
    const ecdsaWithSha384 = '1.2.840.10045.4.3.3'
    const mismatched = resignCrl(
      pki.intermediateCrl,
      pki.intermediate.privateKey,
      (c) => {
        c.signatureAlgorithm = new AlgorithmIdentifier({ algorithm: ecdsaWithSha384 })
      },
      'sha384',
    )
    expect(reasonWith([pki.rootCrl, mismatched])).toBe('crl_unavailable')
  })

  it('a re-signed CRL with its signature intact still counts (the helper above is sound)', () => {
    const same = resignCrl(revokingLeaf, pki.intermediate.privateKey, () => undefined)
    expect(reasonWith([pki.rootCrl, same])).toBe('revoked')
  })

  it('remembers the answer per issuer certificate', () => {
    const set = new CrlSet(pki.crls)
    const issuer = parseCertificateProfile(pki.intermediate.der)
    const first = set.revocationOf(issuer)
    expect(first).toMatchObject({ named: true, issuer: 'CN=Fedmsg Test Intermediate' })
    expect(first.crls).toHaveLength(1)
    expect(set.revocationOf(issuer)).toBe(first)
  })

  it('an issuer no CRL names is neither named nor covered', () => {
    const set = new CrlSet([pki.rootCrl])
    const status = set.revocationOf(parseCertificateProfile(pki.intermediate.der))
    expect(status).toMatchObject({ named: false, crls: [] })
  })
})

describe('verifyCrlSignature refuses what it cannot check', () => {
  const part = (algorithm: SignatureParams | undefined) => ({
    tbs: new Uint8Array([1]),
    signature: new Uint8Array([2]),
    algorithm,
  })
  it.each([
    { name: 'an algorithm off the allowlist', algorithm: undefined },
    {
      name: 'a signature that does not verify',
      algorithm: { name: 'ecdsa-with-SHA256', digest: 'sha256', options: { dsaEncoding: 'der' } },
    },
  ] as const)('$name → false', ({ algorithm }) => {
    expect(
      verifyCrlSignature(part(algorithm), parseCertificateProfile(pki.root.der).publicKey),
    ).toBe(false)
  })
})
