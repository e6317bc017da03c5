// Vectors for check 8 of docs/protocol.md §5 (§4.2–§4.4): path, leaf usage, validity and revocation. Each
// envelope is correctly signed by the leaf it carries, so the chain is its only fault.
import { accepted, NOW, rejected } from './envelope-builder.js'
import { signedBy, vector } from './vector-record.js'

export function chainCases(ctx) {
  const { bodhi, intermediate, root } = ctx.pki
  const { faults, intermediates, roots, crls } = ctx
  const envelope = (label, chain, changes = {}) =>
    signedBy(ctx, { leaf: chain[0], chain, alg: 'EdDSA', label, ...changes })
  const fail = (name, description, reason, chain, { changes, ...spec } = {}) => [
    name,
    vector({
      description,
      envelope: envelope(name, chain, changes),
      expected: rejected(reason),
      ...spec,
    }),
  ]
  const healthyCrls = [crls.root, crls.intermediate]
  const rootOnly = envelope('crl_for_root_only_ok', [bodhi, intermediate])
  return [
    fail(
      'untrusted_chain_other_root_fail',
      "x5c = [leaf, root]: the root has the anchor's name but another key",
      'untrusted_chain',
      [faults.fromUntrustedRoot, faults.untrustedRoot],
    ),
    fail(
      'untrusted_chain_forged_signature_fail',
      'the leaf names the intermediate as issuer but another key signed it',
      'untrusted_chain',
      [faults.forgedSignature, intermediate],
    ),
    fail(
      'untrusted_chain_leaf_as_issuer_fail',
      'the leaf is issued by another leaf (wiki, CA:false) that chains to the anchor',
      'untrusted_chain',
      [faults.signedByLeaf, ctx.pki.wiki],
    ),
    fail(
      'untrusted_chain_missing_intermediate_fail',
      'x5c = [leaf] without its intermediate; only the root is an anchor',
      'untrusted_chain',
      [bodhi],
    ),
    fail(
      'untrusted_chain_wrong_order_fail',
      'x5c = [intermediate, leaf]: x5c is never reordered',
      'untrusted_chain',
      [intermediate, bodhi],
    ),
    fail(
      'untrusted_chain_only_anchor_fail',
      'x5c = [root], signed with the root key: an anchor alone is no path',
      'untrusted_chain',
      [root],
    ),
    fail(
      'untrusted_chain_issuer_not_ca_fail',
      'the intermediate, re-issued with basicConstraints cA:false',
      'untrusted_chain',
      [bodhi, intermediates.notCa],
    ),
    fail(
      'untrusted_chain_issuer_no_basic_constraints_fail',
      'the intermediate, re-issued without basicConstraints',
      'untrusted_chain',
      [bodhi, intermediates.noBasicConstraints],
    ),
    fail(
      'untrusted_chain_issuer_no_key_cert_sign_fail',
      'the intermediate, re-issued with keyUsage cRLSign + digitalSignature (no keyCertSign)',
      'untrusted_chain',
      [bodhi, intermediates.noKeyCertSign],
    ),
    fail(
      'untrusted_chain_path_len_fail',
      "root → intermediate (pathLen 0) → sub CA → leaf: the sub CA exceeds the intermediate's pathLen",
      'untrusted_chain',
      [faults.underSubCa, faults.subCa, intermediate],
    ),
    fail(
      'untrusted_chain_anchor_path_len_fail',
      'the anchor is the root re-issued with pathLen 0: it may not have the intermediate below it',
      'untrusted_chain',
      [bodhi, intermediate],
      { anchors: [roots.pathLenZero.file] },
    ),
    fail(
      'untrusted_chain_unknown_critical_extension_fail',
      'the leaf carries a critical extension fedmsg does not process',
      'untrusted_chain',
      [faults.unknownCritical, intermediate],
    ),
    fail(
      'bad_cert_usage_leaf_is_ca_fail',
      'the leaf has basicConstraints cA:true',
      'bad_cert_usage',
      [faults.isCa, intermediate],
    ),
    fail(
      'bad_cert_usage_no_key_usage_fail',
      'the leaf has no keyUsage extension (fedmsg/1 requires one)',
      'bad_cert_usage',
      [faults.noKeyUsage, intermediate],
    ),
    fail(
      'bad_cert_usage_no_digital_signature_fail',
      'the leaf keyUsage is keyEncipherment only',
      'bad_cert_usage',
      [faults.noDigitalSignature, intermediate],
    ),
    fail('bad_cert_usage_no_eku_fail', 'the leaf has no extendedKeyUsage', 'bad_cert_usage', [
      faults.noEku,
      intermediate,
    ]),
    fail(
      'bad_cert_usage_server_auth_eku_fail',
      'the leaf extendedKeyUsage is serverAuth only (a TLS certificate)',
      'bad_cert_usage',
      [faults.serverAuthEku, intermediate],
    ),
    fail(
      'bad_cert_usage_any_eku_fail',
      'the leaf extendedKeyUsage is anyExtendedKeyUsage: not enough',
      'bad_cert_usage',
      [faults.anyEku, intermediate],
    ),
    fail(
      'bad_cert_usage_no_cn_fail',
      'the leaf subject is O=Fedora, without a CN',
      'bad_cert_usage',
      [faults.noCn, intermediate],
    ),
    fail(
      'bad_cert_usage_two_cns_fail',
      'the leaf subject has two CNs (bodhi, koji): the signer identity would be ambiguous',
      'bad_cert_usage',
      [faults.twoCns, intermediate],
    ),
    fail('cert_expired_leaf_fail', 'the leaf expired on 2026-01-01', 'cert_expired', [
      faults.expired,
      intermediate,
    ]),
    fail(
      'cert_expired_intermediate_fail',
      'the intermediate, re-issued to expire on 2026-01-01',
      'cert_expired',
      [bodhi, intermediates.expired],
    ),
    fail(
      'cert_expired_anchor_fail',
      "the anchor is the root re-issued to expire on 2026-01-01: the anchor's dates count too",
      'cert_expired',
      [bodhi, intermediate],
      { anchors: [roots.expired.file] },
    ),
    fail(
      'cert_not_yet_valid_leaf_fail',
      'the leaf is valid from 2027-01-01',
      'cert_not_yet_valid',
      [faults.notYetValid, intermediate],
    ),
    fail(
      'cert_not_yet_valid_intermediate_fail',
      'the intermediate, re-issued to be valid from 2027-01-01',
      'cert_not_yet_valid',
      [bodhi, intermediates.notYetValid],
    ),
    fail(
      'cert_not_yet_valid_anchor_fail',
      'the anchor is the root re-issued to be valid from 2027-01-01',
      'cert_not_yet_valid',
      [bodhi, intermediate],
      { anchors: [roots.notYetValid.file] },
    ),
    fail(
      'cert_not_yet_valid_at_timestamp_fail',
      'the leaf is valid from 11:58:00, the message is stamped 11:57:00 (fresh): not valid at timestamp + skew',
      'cert_not_yet_valid',
      [faults.issuedAfterTimestamp, intermediate],
      { changes: { timestamp: NOW - 180_000 } },
    ),
    fail(
      'cert_expired_before_not_yet_valid_fail',
      'a not-yet-valid leaf under an expired intermediate: every expiry is checked before any notBefore',
      'cert_expired',
      [faults.notYetValid, intermediates.expired],
    ),
    fail(
      'revoked_leaf_fail',
      "the intermediate's CRL lists the leaf (serial f00dcafe: high bit set, so its DER INTEGER has a leading 00)",
      'revoked',
      [faults.revoked, intermediate],
      { crls: healthyCrls },
    ),
    fail(
      'revoked_intermediate_fail',
      "the root's CRL lists the intermediate",
      'revoked',
      [bodhi, intermediate],
      { crls: [crls.rootRevokesIntermediate, crls.intermediate] },
    ),
    fail(
      'revoked_by_expired_crl_fail',
      'the leaf is listed on a CRL past its nextUpdate: still revoked (revoked is checked before crl_unavailable)',
      'revoked',
      [faults.revoked, intermediate],
      { crls: [crls.root, crls.intermediateExpired] },
    ),
    fail(
      'crl_unavailable_expired_fail',
      "the intermediate's only CRL is past its nextUpdate (2026-01-01)",
      'crl_unavailable',
      [bodhi, intermediate],
      { crls: [crls.root, crls.intermediateExpired] },
    ),
    fail(
      'crl_unavailable_forged_fail',
      'a CRL names the intermediate but another key signed it: a named issuer needs a CRL that verifies',
      'crl_unavailable',
      [bodhi, intermediate],
      { crls: [crls.root, crls.intermediateForged] },
    ),
    fail(
      'crl_unavailable_required_fail',
      'require_crls, and only the intermediate has a CRL: the root (the anchor, an issuer too) has none',
      'crl_unavailable',
      [bodhi, intermediate],
      { crls: [crls.intermediate], requireCrls: true },
    ),
    fail(
      'crl_unavailable_this_update_future_fail',
      "the intermediate's only CRL has thisUpdate 2026-06-02, after now: not yet current (OpenSSL: CRL_NOT_YET_VALID)",
      'crl_unavailable',
      [bodhi, intermediate],
      { crls: [crls.root, crls.intermediateFuture] },
    ),
    fail(
      'crl_unavailable_issuer_without_crl_sign_fail',
      'the intermediate, re-issued with keyUsage keyCertSign only, so its CRL cannot be trusted (RFC 5280 §6.3.3 (f))',
      'crl_unavailable',
      [bodhi, intermediates.noCrlSign],
      { crls: healthyCrls },
    ),
    [
      'crl_for_root_only_ok',
      vector({
        description:
          "only the root has a CRL: without require_crls, revocation of the intermediate's certificates is not checked",
        envelope: rootOnly,
        crls: [crls.root],
        expected: accepted(rootOnly, 'bodhi'),
      }),
    ],
  ]
}
