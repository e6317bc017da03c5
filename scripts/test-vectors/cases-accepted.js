// Vectors a verifier accepts: every algorithm, chains of 1, 2 and 3 certificates, and each limit at its edge.
import { accepted, frameOf, NOW } from './envelope-builder.js'
import { signedBy, vector } from './vector-record.js'

const BODHI_ONLY = {
  default: 'deny',
  rules: [{ topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] }],
}

/** JCS corner cases in a body: number forms, escapes, and member order by UTF-16 code units. */
const JCS_BODY = {
  numbers: [0.1, 1e21, 1.5e-7, -42, 0, 9007199254740991],
  strings: ['\u000f', '"\\/', '€', '😀', '\u2028'],
  order: { '\ufb33': 1, '😀': 2, '€': 3, z: 4, é: 5, A: 6 },
  empty: { array: [], object: {} },
  literals: [null, true, false],
}

/** A body whose deepest array sits at `levels` of nesting, the envelope being level 1 and msg level 2. */
export const nestedBody = (levels) => ({
  d: JSON.parse(`${'['.repeat(levels - 2)}${']'.repeat(levels - 2)}`),
})

export function acceptedCases(ctx) {
  const { bodhi, koji, pkgdb, wiki, fas, root, intermediate, ecdsaIntermediate } = ctx.pki
  const ok = (name, description, envelope, signer, spec = {}) => [
    name,
    vector({ description, envelope, expected: accepted(envelope, signer), ...spec }),
  ]
  const bodhiAt = (label, changes = {}) =>
    signedBy(ctx, { leaf: bodhi, alg: 'EdDSA', label, ...changes })
  const example = bodhiAt('eddsa_chain2_ok')
  const first = bodhiAt('distinct_msg_ids_ok/1')
  const second = bodhiAt('distinct_msg_ids_ok/2', { i: 2 })
  return [
    ok(
      'eddsa_chain2_ok',
      'EdDSA, x5c = [leaf, intermediate]: the worked example of docs/protocol.md §7.2',
      example,
      'bodhi',
    ),
    ok(
      'nesting_at_limit_ok',
      'a body nested to exactly 1024 levels, the envelope included: the limit of docs/protocol.md §2.1',
      bodhiAt('nesting_at_limit_ok', { msg: nestedBody(1024) }),
      'bodhi',
    ),
    ok(
      'es256_chain2_ok',
      'ES256 (P1363 r||s), x5c = [leaf, intermediate]: the worked example of docs/protocol.md §7.3',
      signedBy(ctx, { leaf: koji, alg: 'ES256', label: 'es256_chain2_ok' }),
      'koji',
    ),
    ok(
      'ps256_chain2_ok',
      'PS256 (RSA-PSS, SHA-256, MGF1-SHA-256, salt 32) with an RSA 2048 leaf',
      signedBy(ctx, { leaf: pkgdb, alg: 'PS256', label: 'ps256_chain2_ok' }),
      'pkgdb',
    ),
    ok(
      'rs256_chain2_ok',
      'RS256 (RSASSA-PKCS1-v1_5, SHA-256) with an RSA 2048 leaf',
      signedBy(ctx, { leaf: pkgdb, alg: 'RS256', label: 'rs256_chain2_ok' }),
      'pkgdb',
    ),
    ok(
      'eddsa_chain1_ok',
      'x5c = [leaf]: the leaf is issued by the anchor itself',
      signedBy(ctx, { leaf: wiki, chain: [wiki], alg: 'EdDSA', label: 'eddsa_chain1_ok' }),
      'wiki',
    ),
    ok(
      'es256_ecdsa_ca_ok',
      'ES256 leaf under a P-256 intermediate: certificate signatures are ECDSA (DER), message signature P1363',
      signedBy(ctx, {
        leaf: fas,
        chain: [fas, ecdsaIntermediate],
        alg: 'ES256',
        label: 'es256_ecdsa_ca_ok',
      }),
      'fas',
    ),
    ok(
      'anchor_appended_ok',
      'x5c = [leaf, intermediate, root]: a last element byte-identical to a configured anchor is accepted and dropped',
      bodhiAt('anchor_appended_ok', { chain: [bodhi, intermediate, root] }),
      'bodhi',
    ),
    ok(
      'intermediate_anchor_ok',
      'the intermediate is the configured anchor: x5c = [leaf] chains to it; the root is not needed',
      bodhiAt('intermediate_anchor_ok', { chain: [bodhi] }),
      'bodhi',
      { anchors: [intermediate.file] },
    ),
    ok(
      'headers_ok',
      'optional headers member (object of strings) is signed like every other member',
      bodhiAt('headers_ok', {
        headers: { 'content-type': 'application/json', 'x-trace-id': '4bf92f3577b34da6' },
      }),
      'bodhi',
    ),
    ok(
      'jcs_body_ok',
      'RFC 8785 corner cases in the body: number serialization, escapes, raw non-ASCII, members ordered by UTF-16 code units (😀 before U+FB33)',
      bodhiAt('jcs_body_ok', { msg: JCS_BODY }),
      'bodhi',
    ),
    ok(
      'policy_allowed_ok',
      'a routing policy rule allows bodhi on org.fedoraproject.*.bodhi.>',
      bodhiAt('policy_allowed_ok'),
      'bodhi',
      { policy: BODHI_ONLY },
    ),
    ok(
      'policy_any_signer_ok',
      'a rule listing "*" allows any signer whose chain verified',
      signedBy(ctx, { leaf: koji, alg: 'ES256', label: 'policy_any_signer_ok' }),
      'koji',
      { policy: { default: 'deny', rules: [{ topic: 'org.fedoraproject.>', allow: ['*'] }] } },
    ),
    ok(
      'require_crls_ok',
      'require_crls with current CRLs of both the root and the intermediate, neither listing the chain',
      bodhiAt('require_crls_ok'),
      'bodhi',
      { crls: [ctx.crls.root, ctx.crls.intermediate], requireCrls: true },
    ),
    ok(
      'stale_boundary_ok',
      'now - timestamp = max age exactly: not stale (the limit is inclusive)',
      bodhiAt('stale_boundary_ok', { timestamp: NOW - 300_000 }),
      'bodhi',
    ),
    ok(
      'future_boundary_ok',
      'timestamp - now = clock skew exactly: not future (the limit is inclusive)',
      bodhiAt('future_boundary_ok', { timestamp: NOW + 30_000 }),
      'bodhi',
    ),
    ok(
      'max_age_null_ok',
      'max_age_seconds null: no staleness check; a year-old message whose certificates were valid then is accepted',
      bodhiAt('max_age_null_ok', { timestamp: Date.parse('2025-06-01T00:00:00Z') }),
      'bodhi',
      { maxAgeSeconds: null },
    ),
    ok(
      'cert_expires_at_now_ok',
      'the leaf notAfter is exactly now: still valid (notAfter is inclusive, RFC 5280 §4.1.2.5)',
      bodhiAt('cert_expires_at_now_ok', { chain: [ctx.faults.expiresAtNow, intermediate] }),
      'bodhi',
    ),
    ok(
      'not_before_boundary_ok',
      'timestamp = not_before exactly: not refused as predating the verifier start (no skew at this check)',
      bodhiAt('not_before_boundary_ok', { timestamp: NOW }),
      'bodhi',
      { notBefore: new Date(NOW).toISOString() },
    ),
    [
      'envelope_size_limit_ok',
      vector({
        description: 'envelope frame exactly max_envelope_bytes long: not oversize',
        envelope: example,
        expected: accepted(example, 'bodhi'),
        maxEnvelopeBytes: Buffer.byteLength(frameOf(example)),
      }),
    ],
    [
      'distinct_msg_ids_ok',
      vector({
        description:
          'two messages with different msg_ids, verified in order by one verifier: both accepted',
        envelopes: [first, second],
        expected: [accepted(first, 'bodhi'), accepted(second, 'bodhi')],
      }),
    ],
  ]
}
