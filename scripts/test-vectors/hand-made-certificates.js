// Leaves with a hand-made subject or extension list, for the CN and extension vectors of
// cases-protocol-points.js. The issuers are Ed25519, so every run issues the same bytes.
import { createPublicKey } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import {
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  GeneralName,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509'
import { toSigningCryptoKey } from '../../dist/ca/key-pair.js'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../../dist/crypto/chain/eku.js'
import { nodeWebCrypto, x509 } from '../../dist/crypto/x509.js'
import { VALIDITY } from './vector-pki.js'

const { digitalSignature } = x509.KeyUsageFlags

/** A subject of one CN written as the DirectoryString choice `type` ('utf8String', 'bmpString', ...). */
const subjectWithCn = (type, value) =>
  new x509.Name(
    AsnConvert.serialize(
      new Name([
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({
            type: '2.5.4.3',
            value: new AttributeValue({ [type]: value }),
          }),
        ]),
      ]),
    ),
  )

/** A leaf of bodhi's key under `issuer` with a hand-made subject and extensions (default: the fedmsg profile). */
async function handMadeLeaf(pki, serialNumber, { subject, extensions, issuer = pki.intermediate }) {
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber,
      subject: subject ?? subjectWithCn('utf8String', 'bodhi'),
      issuer: issuer.certificate.subject,
      ...VALIDITY,
      publicKey: createPublicKey(pki.bodhi.privateKey).export({ format: 'der', type: 'spki' }),
      signingKey: await toSigningCryptoKey(issuer.privateKey),
      signingAlgorithm: { name: 'Ed25519' },
      extensions: extensions ?? profileExtensions(issuer),
    },
    nodeWebCrypto,
  )
  return { certificate, privateKey: pki.bodhi.privateKey, der: new Uint8Array(certificate.rawData) }
}

const profileExtensions = (
  issuer,
  keyUsage = new x509.KeyUsagesExtension(digitalSignature, true),
) => [
  new x509.BasicConstraintsExtension(false, undefined, true),
  keyUsage,
  new x509.ExtendedKeyUsageExtension([FEDMSG_MESSAGE_SIGNING_EKU]),
  new x509.AuthorityKeyIdentifierExtension(
    issuer.certificate.getExtension(x509.SubjectKeyIdentifierExtension).keyId,
  ),
]

/** authorityKeyIdentifier with authorityCertIssuer and authorityCertSerialNumber only (RFC 5280 §4.2.1.1). */
function akiWithoutKeyId(root) {
  const value = new AuthorityKeyIdentifier({
    authorityCertIssuer: [
      new GeneralName({
        directoryName: AsnConvert.parse(root.certificate.subjectName.toArrayBuffer(), Name),
      }),
    ],
    authorityCertSerialNumber: new Uint8Array([0x01]).buffer,
  })
  return new x509.Extension('2.5.29.35', false, AsnConvert.serialize(value))
}

/** The leaves of the CN and extension vectors, and one with an undecodable keyUsage signed by another key. */
export async function makeProtocolPointLeaves(ctx) {
  const { intermediate, root } = ctx.pki
  const leaves = {
    printableCn: await handMadeLeaf(ctx.pki, '71', {
      subject: subjectWithCn('printableString', 'bodhi'),
    }),
    bmpCn: await handMadeLeaf(ctx.pki, '72', { subject: subjectWithCn('bmpString', 'bodhi') }),
    teletexCn: await handMadeLeaf(ctx.pki, '73', {
      subject: subjectWithCn('teletexString', 'bodhi'),
    }),
    emptyCn: await handMadeLeaf(ctx.pki, '74', { subject: subjectWithCn('utf8String', '') }),
    akiWithoutKeyId: await handMadeLeaf(ctx.pki, '75', {
      issuer: root,
      extensions: [...profileExtensions(root).slice(0, 3), akiWithoutKeyId(root)],
    }),
    duplicateKeyUsage: await handMadeLeaf(ctx.pki, '76', {
      extensions: [
        ...profileExtensions(intermediate),
        new x509.KeyUsagesExtension(digitalSignature, true),
      ],
    }),
    undecodableKeyUsage: await handMadeLeaf(ctx.pki, '77', {
      extensions: profileExtensions(
        intermediate,
        new x509.Extension('2.5.29.15', true, new Uint8Array([0x05, 0x00])),
      ),
    }),
    undecodableUnknown: await handMadeLeaf(ctx.pki, '78', {
      extensions: [
        ...profileExtensions(intermediate),
        new x509.Extension('2.5.29.32', false, new Uint8Array([0x05, 0x00])),
      ],
    }),
  }
  const forgedUndecodable = await handMadeLeaf(ctx.pki, '79', {
    issuer: {
      certificate: intermediate.certificate,
      privateKey: ctx.faults.untrustedRoot.privateKey,
    },
    extensions: profileExtensions(
      intermediate,
      new x509.Extension('2.5.29.15', true, new Uint8Array([0x05, 0x00])),
    ),
  })
  return { leaves, forgedUndecodable }
}
