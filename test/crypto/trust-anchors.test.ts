/**
 * Configured trust anchors whose extensions are unusable are refused when configured (docs/protocol.md §4.3,
 * "Trust anchors"): an extension twice, or a processed extension whose value does not decode. A non-critical
 * extension fedmsg does not process (certificatePolicies here) is never decoded.
 */
import { generateKeyPairSync } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import { Certificate, Version } from '@peculiar/asn1-x509'
import { describe, expect, it } from 'vitest'
import { toSigningCryptoKey } from '../../src/ca/key-pair.js'
import { TrustAnchors } from '../../src/crypto/chain/trust-anchors.js'
import { nodeWebCrypto, x509 } from '../../src/crypto/x509.js'

const { keyCertSign, cRLSign } = x509.KeyUsageFlags

async function selfSignedCa(extra: x509.Extension[]): Promise<Uint8Array> {
  const keys = generateKeyPairSync('ed25519')
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: '01',
      subject: 'CN=Anchor',
      issuer: 'CN=Anchor',
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2045-01-01T00:00:00Z'),
      publicKey: keys.publicKey.export({ format: 'der', type: 'spki' }),
      signingKey: await toSigningCryptoKey(keys.privateKey),
      signingAlgorithm: { name: 'Ed25519' },
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true), ...extra],
    },
    nodeWebCrypto,
  )
  return new Uint8Array(certificate.rawData)
}

describe('trust anchors with unusable extensions', () => {
  it.each([
    {
      name: 'keyUsage twice',
      extra: () => [
        new x509.KeyUsagesExtension(keyCertSign | cRLSign, true),
        new x509.KeyUsagesExtension(keyCertSign, true),
      ],
    },
    { name: 'basicConstraints twice', extra: () => [new x509.BasicConstraintsExtension(true)] },
    {
      name: 'a keyUsage value that does not decode',
      extra: () => [new x509.Extension('2.5.29.15', true, new Uint8Array([0x05, 0x00]))],
    },
  ])('$name → ERR_FEDMSG_CERT_INVALID', async ({ extra }) => {
    const der = await selfSignedCa(extra())
    expect(() => new TrustAnchors([der])).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CERT_INVALID' }),
    )
  })

  it('a v1 certificate (no extensions field at all) is no CA → ERR_FEDMSG_CERT_INVALID', async () => {
    // The anchor's own signature is never checked, so the v1 re-encoding need not be re-signed.
    const asn = AsnConvert.parse(await selfSignedCa([]), Certificate)
    asn.tbsCertificate.extensions = undefined
    asn.tbsCertificate.version = Version.v1
    asn.tbsCertificateRaw = undefined
    const der = new Uint8Array(AsnConvert.serialize(asn))
    expect(() => new TrustAnchors([der])).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CERT_INVALID' }),
    )
  })

  it('a non-critical certificatePolicies whose value does not decode is ignored: fedmsg does not process it', async () => {
    const der = await selfSignedCa([
      new x509.Extension('2.5.29.32', false, new Uint8Array([0x05, 0x00])),
    ])
    expect(() => new TrustAnchors([der])).not.toThrow()
  })
})
