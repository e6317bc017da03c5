// Vectors for the points docs/protocol.md answers normatively since issue 12 item 4: frame counts (the `frames`
// member), the topic limit, msg_id, numbers, the ECDSA twin, RSA signature length, id-RSASSA-PSS keys,
// authorityKeyIdentifier without keyIdentifier, CN string types, and extensions that repeat or do not decode.
import { constants, createPublicKey, sign, verify } from 'node:crypto'
import { buildCertificate } from '../../dist/ca/certificate-factory.js'
import { makeProtocolPointLeaves } from './hand-made-certificates.js'
import { accepted, frameOf, rejected, TOPIC } from './envelope-builder.js'
import { leafSpec } from './vector-pki.js'
import { signedBy, vector } from './vector-record.js'

const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551')
const PSS_32 = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }

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
  const { bodhi, koji, pkgdb, intermediate } = ctx.pki
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
  const { leaves, forgedUndecodable } = await makeProtocolPointLeaves(ctx)
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
