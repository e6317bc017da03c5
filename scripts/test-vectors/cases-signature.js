// Vectors for checks 9–11 of docs/protocol.md §5: the alg fits the leaf key, the routing policy, the signature.
import { constants } from 'node:crypto'
import { canonicalBytes } from '../../dist/crypto/canonical.js'
import { signBytes } from '../../dist/crypto/primitives.js'
import { BODY, rawMode, rejected, standardMode } from './envelope-builder.js'
import { signedBy, vector } from './vector-record.js'

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING }
const PKCS1 = { padding: constants.RSA_PKCS1_PADDING }
const BODHI_ONLY = {
  default: 'deny',
  rules: [{ topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] }],
}

/** EdDSA over other bytes than the signing input: `rewrite(signingInput)`. */
const eddsaOver = (privateKey, rewrite) => ({
  randomized: false,
  sign: (data) => signBytes('EdDSA', privateKey, rewrite(data)),
})

export function signatureCases(ctx) {
  const { bodhi, koji, pkgdb, wiki, intermediate } = ctx.pki
  const { faults } = ctx
  const fail = (name, description, reason, signing, spec = {}) => [
    name,
    vector({
      description,
      envelope: signedBy(ctx, { label: name, ...signing }),
      expected: rejected(reason),
      ...spec,
    }),
  ]
  const bodhiWith = (mode) => ({ leaf: bodhi, alg: 'EdDSA', mode })
  const tampered = (name, description, change, spec, reason = 'bad_signature') => {
    const envelope = { ...signedBy(ctx, { leaf: bodhi, alg: 'EdDSA', label: name }), ...change }
    return [name, vector({ description, envelope, expected: rejected(reason), ...spec })]
  }
  return [
    fail(
      'alg_mismatch_es256_ed25519_key_fail',
      'alg ES256, the leaf key is Ed25519 (the signature is a valid Ed25519 one)',
      'alg_mismatch',
      { leaf: bodhi, alg: 'ES256', mode: standardMode('EdDSA', bodhi.privateKey) },
    ),
    fail('alg_mismatch_eddsa_rsa_key_fail', 'alg EdDSA, the leaf key is RSA', 'alg_mismatch', {
      leaf: pkgdb,
      alg: 'EdDSA',
      mode: standardMode('RS256', pkgdb.privateKey),
    }),
    fail('alg_mismatch_ps256_ec_key_fail', 'alg PS256, the leaf key is P-256', 'alg_mismatch', {
      leaf: koji,
      alg: 'PS256',
      mode: standardMode('ES256', koji.privateKey),
    }),
    fail(
      'alg_mismatch_p384_fail',
      'alg ES256, the leaf key is on P-384 (signed with SHA-256, P1363)',
      'alg_mismatch',
      {
        leaf: faults.p384,
        alg: 'ES256',
        mode: rawMode(faults.p384.privateKey, { dsaEncoding: 'ieee-p1363' }, true),
      },
    ),
    fail(
      'alg_mismatch_rsa1024_fail',
      'alg RS256, the leaf key is RSA 1024: under the 2048-bit minimum',
      'alg_mismatch',
      {
        leaf: faults.rsa1024,
        alg: 'RS256',
        mode: rawMode(faults.rsa1024.privateKey, PKCS1, false),
      },
    ),
    fail(
      'alg_mismatch_before_policy_fail',
      'alg ES256 with an Ed25519 leaf, and a policy that denies bodhi: alg_mismatch is checked first',
      'alg_mismatch',
      { leaf: bodhi, alg: 'ES256', mode: standardMode('EdDSA', bodhi.privateKey) },
      { policy: { default: 'deny', rules: [] } },
    ),
    fail(
      'policy_denied_fail',
      'koji (chain valid, signature valid) may not publish on a bodhi topic',
      'policy_denied',
      { leaf: koji, alg: 'ES256' },
      { policy: BODHI_ONLY },
    ),
    fail(
      'policy_denied_default_fail',
      'no rule matches the topic and the default is deny',
      'policy_denied',
      { leaf: bodhi, alg: 'EdDSA' },
      {
        policy: {
          default: 'deny',
          rules: [{ topic: 'org.fedoraproject.*.koji.>', allow: ['koji'] }],
        },
      },
    ),
    tampered(
      'policy_denied_before_signature_fail',
      'a denied signer and a body changed after signing: the policy is checked before the signature',
      { msg: { ...BODY, agent: 'mallory' } },
      { policy: { default: 'deny', rules: [] } },
      'policy_denied',
    ),
    tampered(
      'bad_signature_tampered_body_fail',
      'the body was changed after signing (agent José → mallory)',
      { msg: { ...BODY, agent: 'mallory' } },
    ),
    tampered('bad_signature_tampered_sequence_fail', 'i was changed after signing (1 → 2)', {
      i: 2,
    }),
    tampered(
      'bad_signature_topic_rerouted_fail',
      'topic member and topic frame both changed after signing: the topic is signed',
      { topic: 'org.fedoraproject.prod.bodhi.update.comment' },
      { topicFrame: 'org.fedoraproject.prod.bodhi.update.comment' },
    ),
    fail(
      'bad_signature_wrong_key_fail',
      "x5c is bodhi's but wiki's Ed25519 key signed",
      'bad_signature',
      { leaf: bodhi, alg: 'EdDSA', mode: standardMode('EdDSA', wiki.privateKey) },
    ),
    fail(
      'bad_signature_es256_der_fail',
      'ES256 signature DER-encoded (Ecdsa-Sig-Value) instead of the 64-byte P1363 r||s',
      'bad_signature',
      { leaf: koji, alg: 'ES256', mode: rawMode(koji.privateKey, { dsaEncoding: 'der' }, true) },
    ),
    fail(
      'bad_signature_ps256_as_pkcs1_fail',
      'alg PS256, but the signature is RSASSA-PKCS1-v1_5',
      'bad_signature',
      { leaf: pkgdb, alg: 'PS256', mode: rawMode(pkgdb.privateKey, PKCS1, false) },
    ),
    fail(
      'bad_signature_rs256_as_pss_fail',
      'alg RS256, but the signature is RSASSA-PSS',
      'bad_signature',
      {
        leaf: pkgdb,
        alg: 'RS256',
        mode: rawMode(pkgdb.privateKey, { ...PSS, saltLength: 32 }, true),
      },
    ),
    fail(
      'bad_signature_pss_salt_64_fail',
      'alg PS256 with a 64-byte salt: PS256 fixes the salt at 32 bytes',
      'bad_signature',
      {
        leaf: pkgdb,
        alg: 'PS256',
        mode: rawMode(pkgdb.privateKey, { ...PSS, saltLength: 64 }, true),
      },
    ),
    fail(
      'bad_signature_pretty_input_fail',
      'signed over the envelope pretty-printed instead of its JCS form',
      'bad_signature',
      bodhiWith(
        eddsaOver(bodhi.privateKey, (data) =>
          Buffer.from(JSON.stringify(JSON.parse(data), null, 2)),
        ),
      ),
    ),
    fail(
      'bad_signature_empty_signature_member_fail',
      'signed over the envelope with "signature":"" in it: the signing input leaves the member out entirely',
      'bad_signature',
      bodhiWith(
        eddsaOver(bodhi.privateKey, (data) =>
          canonicalBytes({ ...JSON.parse(data), signature: '' }),
        ),
      ),
    ),
    fail(
      'bad_signature_truncated_fail',
      'the last byte of the Ed25519 signature is cut off (63 bytes)',
      'bad_signature',
      bodhiWith({
        randomized: false,
        sign: (data) => signBytes('EdDSA', bodhi.privateKey, data).subarray(0, 63),
      }),
    ),
    fail(
      'bad_signature_eddsa_chain1_fail',
      'x5c = [leaf] under the root, signature made by another key',
      'bad_signature',
      { leaf: wiki, chain: [wiki], alg: 'EdDSA', mode: standardMode('EdDSA', bodhi.privateKey) },
    ),
    fail(
      'bad_signature_intermediate_key_fail',
      "signed with the intermediate's key instead of the leaf's",
      'bad_signature',
      {
        leaf: bodhi,
        chain: [bodhi, intermediate],
        alg: 'EdDSA',
        mode: standardMode('EdDSA', intermediate.privateKey),
      },
    ),
  ]
}
