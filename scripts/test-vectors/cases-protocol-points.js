// Vectors for the points docs/protocol.md answers normatively since issue 12 item 4: frame counts (the `frames`
// member), the topic limit, msg_id, numbers, the ECDSA twin, RSA signature length, id-RSASSA-PSS keys,
// authorityKeyIdentifier without keyIdentifier, CN string types, and extensions that repeat or do not decode.
import { constants, createPublicKey, sign, verify } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import {
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  GeneralName,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509'
import { buildCertificate } from '../../dist/ca/certificate-factory.js'
import { toSigningCryptoKey } from '../../dist/ca/key-pair.js'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../../dist/crypto/eku.js'
import { nodeWebCrypto, x509 } from '../../dist/crypto/x509.js'
import { accepted, frameOf, rejected, TOPIC } from './envelope-builder.js'
import { leafSpec, VALIDITY } from './vector-pki.js'
import { signedBy, vector } from './vector-record.js'

const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551')
const PSS_32 = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
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

/** PS256 signatures whose first octet is 0, sent without it: one octet short of the modulus length. */
function pssWithoutLeadingZero(privateKey) {
  const publicKey = createPublicKey(privateKey)
  return {
    randomized: true,
    sign: (data) => {
      for (;;) {
        const signature = sign('sha256', data, { key: privateKey, ...PSS_32 })
        if (signature[0] === 0) return signature.subarray(1)
      }
    },
    verify: (data, signature) =>
      signature.length === 255 &&
      verify(
        'sha256',
        data,
        { key: publicKey, ...PSS_32 },
        Buffer.concat([Buffer.from([0]), signature]),
      ),
  }
}

/** The signature (r, n - s): the other valid ECDSA signature of the same input. */
function ecdsaTwin(envelope) {
  const signature = Buffer.from(envelope.signature, 'base64')
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`)
  const twinS = Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex')
  return {
    ...envelope,
    signature: Buffer.concat([signature.subarray(0, 32), twinS]).toString('base64'),
  }
}

/** A valid topic of exactly `bytes` bytes under the usual prefix. */
const topicOf = (bytes) => {
  const prefix = 'org.fedoraproject.prod.bodhi.'
  return prefix + 'x'.repeat(bytes - prefix.length)
}

export async function protocolPointCases(ctx, files) {
  const { bodhi, koji, pkgdb, intermediate, root } = ctx.pki
  const eddsa = (label, changes = {}, leaf = bodhi, chain = [leaf, intermediate]) =>
    signedBy(ctx, { leaf, chain, alg: 'EdDSA', label, ...changes })
  const ok = (name, description, envelope, signer, spec = {}) => [
    name,
    vector({ description, envelope, expected: accepted(envelope, signer), ...spec }),
  ]
  const fail = (name, description, envelope, reason, spec = {}) => [
    name,
    vector({ description, envelope, expected: rejected(reason), ...spec }),
  ]
  const healthy = frameOf(eddsa('frame_count'))
  const es256 = signedBy(ctx, { leaf: koji, alg: 'ES256', label: 'es256_high_s' })
  const sBytes = Buffer.from(es256.signature, 'base64').subarray(32)
  const high = BigInt(`0x${sBytes.toString('hex')}`) > P256_N / 2n
  const [lowS, highS] = high ? [ecdsaTwin(es256), es256] : [es256, ecdsaTwin(es256)]
  const rsaPssKeys = files.key('rsa-pss', 'rsa-pss')
  const rsaPssLeaf = await buildCertificate(
    leafSpec(intermediate, 'bodhi', rsaPssKeys.publicKey, '70'),
  )
  const pssKeyLeaf = {
    certificate: rsaPssLeaf,
    privateKey: rsaPssKeys.privateKey,
    der: new Uint8Array(rsaPssLeaf.rawData),
  }
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
  const frames = (name, description, list) => [
    name,
    vector({ description, frames: list, expected: rejected('malformed') }),
  ]
  return [
    frames('malformed_one_frame_fail', 'a message of one frame (the topic alone)', [TOPIC]),
    frames('malformed_three_frames_fail', 'a valid message with a third, empty frame', [
      TOPIC,
      healthy,
      '',
    ]),
    frames(
      'malformed_frame_count_before_oversize_fail',
      'three frames, the topic frame 256 bytes: the frame count is checked first (check 1)',
      [topicOf(256), healthy, ''],
    ),
    ok(
      'topic_255_bytes_ok',
      'a topic of exactly 255 bytes, the fixed limit, in the topic frame and the envelope',
      eddsa('topic_255_bytes_ok', { topic: topicOf(255) }),
      'bodhi',
      { topicFrame: topicOf(255) },
    ),
    ok(
      'msg_id_year_differs_ok',
      "msg_id's year (1999) is not the timestamp's (2026): the year is not checked",
      eddsa('msg_id_year_differs_ok', { msg_id: '1999-3c2a1f60-8d1e-4b7a-9f00-1e5b2d7c9a41' }),
      'bodhi',
    ),
    fail(
      'malformed_msg_id_variant_fail',
      'msg_id holds a UUID whose variant nibble is c (RFC 4122 variant needs 8, 9, a or b)',
      eddsa('malformed_msg_id_variant_fail', {
        msg_id: '2026-3c2a1f60-8d1e-4b7a-cf00-1e5b2d7c9a41',
      }),
      'malformed',
    ),
    ok(
      'large_exact_integer_in_body_ok',
      '9007199254740994 in the body: above 2^53 but an exact double, so its JCS form is itself',
      eddsa('large_exact_integer_in_body_ok', { msg: { n: 9007199254740994 } }),
      'bodhi',
    ),
    ok('es256_high_s_ok', 'ES256 with the high-S signature (s > n/2): accepted', highS, 'koji'),
    [
      'replay_ecdsa_twin_fail',
      vector({
        description:
          'the low-S signature of a message, then its high-S twin (r, n - s): same msg_id, so the twin is replay',
        envelopes: [lowS, highS],
        expected: [accepted(lowS, 'koji'), rejected('replay')],
      }),
    ],
    fail(
      'bad_signature_ps256_leading_zero_stripped_fail',
      'PS256: a signature whose first octet is 0, sent one octet short (255 bytes for RSA 2048)',
      signedBy(ctx, {
        leaf: pkgdb,
        alg: 'PS256',
        label: 'bad_signature_ps256_leading_zero_stripped_fail',
        mode: pssWithoutLeadingZero(pkgdb.privateKey),
      }),
      'bad_signature',
    ),
    fail(
      'alg_mismatch_ps256_rsa_pss_key_fail',
      'alg PS256, the leaf key is an id-RSASSA-PSS key: fedmsg/1 takes rsaEncryption keys only',
      signedBy(ctx, {
        leaf: pssKeyLeaf,
        alg: 'PS256',
        label: 'alg_mismatch_ps256_rsa_pss_key_fail',
        mode: {
          randomized: true,
          sign: (d) => sign('sha256', d, { key: rsaPssKeys.privateKey, ...PSS_32 }),
          verify: (d, s) => verify('sha256', d, { key: rsaPssKeys.publicKey, ...PSS_32 }, s),
        },
      }),
      'alg_mismatch',
    ),
    ok(
      'aki_without_key_identifier_ok',
      'x5c = [leaf], its authorityKeyIdentifier names the root by issuer and serial, without keyIdentifier',
      eddsa('aki_without_key_identifier_ok', {}, leaves.akiWithoutKeyId, [leaves.akiWithoutKeyId]),
      'bodhi',
    ),
    ok(
      'cn_printable_string_ok',
      'the leaf CN is a PrintableString (the other accepted type is UTF8String)',
      eddsa('cn_printable_string_ok', {}, leaves.printableCn),
      'bodhi',
    ),
    fail(
      'bad_cert_usage_cn_bmp_string_fail',
      'the leaf CN is a BMPString: only UTF8String and PrintableString are accepted',
      eddsa('bad_cert_usage_cn_bmp_string_fail', {}, leaves.bmpCn),
      'bad_cert_usage',
    ),
    fail(
      'bad_cert_usage_cn_teletex_string_fail',
      'the leaf CN is a TeletexString: only UTF8String and PrintableString are accepted',
      eddsa('bad_cert_usage_cn_teletex_string_fail', {}, leaves.teletexCn),
      'bad_cert_usage',
    ),
    fail(
      'bad_cert_usage_empty_cn_fail',
      'the leaf has one CN, the empty UTF8String',
      eddsa('bad_cert_usage_empty_cn_fail', {}, leaves.emptyCn),
      'bad_cert_usage',
    ),
    fail(
      'malformed_duplicate_extension_fail',
      'the leaf carries keyUsage twice (rule 5a)',
      eddsa('malformed_duplicate_extension_fail', {}, leaves.duplicateKeyUsage),
      'malformed',
    ),
    fail(
      'malformed_undecodable_key_usage_fail',
      'the value of the leaf keyUsage is a NULL, not a BIT STRING (rule 5a)',
      eddsa('malformed_undecodable_key_usage_fail', {}, leaves.undecodableKeyUsage),
      'malformed',
    ),
    ok(
      'undecodable_certificate_policies_ok',
      'a non-critical certificatePolicies whose value is a NULL: fedmsg does not process it, so never decodes it',
      eddsa('undecodable_certificate_policies_ok', {}, leaves.undecodableUnknown),
      'bodhi',
    ),
    fail(
      'untrusted_chain_before_undecodable_extension_fail',
      'the leaf keyUsage does not decode and another key signed the leaf: rules 4 and 5 come before 5a',
      eddsa('untrusted_chain_before_undecodable_extension_fail', {}, forgedUndecodable),
      'untrusted_chain',
    ),
  ]
}
