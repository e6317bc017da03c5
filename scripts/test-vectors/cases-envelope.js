// Vectors for checks 1 and 3–7 and 12 of docs/protocol.md §5: size, version, algorithm, topic frame, freshness
// and replay. Check 2 (malformed) has its own file, cases-malformed.js.
import { createHmac } from 'node:crypto'
import { accepted, frameOf, NOW, rejected, standardMode, TOPIC } from './envelope-builder.js'
import { signedBy, vector } from './vector-record.js'

const iso = (ms) => new Date(ms).toISOString()

export function envelopeCases(ctx) {
  const { bodhi, intermediate } = ctx.pki
  const at = (label, changes = {}) =>
    signedBy(ctx, { leaf: bodhi, alg: 'EdDSA', label, ...changes })
  const fail = (name, description, reason, spec) => [
    name,
    vector({ description, expected: rejected(reason), ...spec }),
  ]
  const example = at('eddsa_chain2_ok')
  const replayed = at('replay_fail')
  return [
    fail(
      'oversize_topic_frame_fail',
      'topic frame of 256 bytes (limit 255), checked before anything is parsed',
      'oversize',
      { envelope: example, topicFrame: `${TOPIC}.${'x'.repeat(255 - TOPIC.length)}` },
    ),
    fail('oversize_envelope_fail', 'envelope frame one byte over max_envelope_bytes', 'oversize', {
      envelope: example,
      maxEnvelopeBytes: Buffer.byteLength(frameOf(example)) - 1,
    }),
    fail('unsupported_version_fail', 'v is "fedmsg/2" (signed)', 'unsupported_version', {
      envelope: at('unsupported_version_fail', { v: 'fedmsg/2' }),
    }),
    fail(
      'unsupported_version_before_alg_fail',
      'v "fedmsg/2" and alg "none": the version is checked first',
      'unsupported_version',
      {
        envelope: {
          ...at('unsupported_version_before_alg_fail', { v: 'fedmsg/2' }),
          alg: 'none',
          signature: '',
        },
      },
    ),
    fail('unsupported_alg_none_fail', 'alg "none" with an empty signature', 'unsupported_alg', {
      envelope: { ...at('unsupported_alg_none_fail'), alg: 'none', signature: '' },
    }),
    fail(
      'unsupported_alg_hs256_fail',
      'alg "HS256", an HMAC keyed with the leaf certificate: no symmetric algorithm exists',
      'unsupported_alg',
      { envelope: hmacEnvelope({ ...at('unsupported_alg_hs256_fail'), alg: 'HS256' }, bodhi.der) },
    ),
    fail('unsupported_alg_case_fail', 'alg "eddsa": names are case-sensitive', 'unsupported_alg', {
      envelope: signedBy(ctx, {
        leaf: bodhi,
        alg: 'eddsa',
        label: 'unsupported_alg_case_fail',
        mode: standardMode('EdDSA', bodhi.privateKey),
      }),
    }),
    fail(
      'unsupported_alg_not_allowed_fail',
      "EdDSA is a fedmsg/1 algorithm but not in this verifier's allowlist",
      'unsupported_alg',
      {
        envelope: at('unsupported_alg_not_allowed_fail'),
        allowedAlgs: ['ES256', 'PS256', 'RS256'],
      },
    ),
    fail(
      'topic_mismatch_fail',
      'the topic frame names another topic than the signed one',
      'topic_mismatch',
      { envelope: example, topicFrame: 'org.fedoraproject.prod.bodhi.update.comment' },
    ),
    fail(
      'topic_mismatch_prefix_fail',
      'the topic frame is a prefix of the signed topic',
      'topic_mismatch',
      { envelope: example, topicFrame: 'org.fedoraproject.prod.bodhi.update' },
    ),
    fail(
      'topic_mismatch_before_freshness_fail',
      'wrong topic frame and a message from the future: the topic frame is checked first',
      'topic_mismatch',
      {
        envelope: at('topic_mismatch_before_freshness_fail', { timestamp: NOW + 60_000 }),
        topicFrame: 'org.fedoraproject.prod.koji.build',
      },
    ),
    fail(
      'stale_fail',
      'the worked example (docs/protocol.md §7.2) verified at 12:05:00: 301 s old, the limit is 300 s',
      'stale',
      { envelope: example, now: iso(NOW + 300_000) },
    ),
    fail('future_fail', 'stamped 30.001 s ahead of now; the skew is 30 s', 'future', {
      envelope: at('future_fail', { timestamp: NOW + 30_001 }),
    }),
    fail(
      'stale_before_chain_fail',
      'stale and signed by an expired leaf: freshness is checked before the chain',
      'stale',
      {
        envelope: at('stale_before_chain_fail', {
          timestamp: NOW - 600_000,
          chain: [ctx.faults.expired, intermediate],
        }),
      },
    ),
    [
      'replay_fail',
      vector({
        description: 'the same frame twice to one verifier: accepted, then refused as a replay',
        envelopes: [replayed, replayed],
        expected: [accepted(replayed, 'bodhi'), rejected('replay')],
      }),
    ],
    fail(
      'replay_not_before_fail',
      'stamped before not_before - skew: refused at the freshness step (check 7) as possibly seen before a restart',
      'replay',
      { envelope: at('replay_not_before_fail', { timestamp: NOW - 30_001 }), notBefore: iso(NOW) },
    ),
    fail(
      'replay_not_before_within_skew_fail',
      'stamped 1 ms before not_before, well within the clock skew: refused all the same, since the run before a restart may have accepted it',
      'replay',
      {
        envelope: at('replay_not_before_within_skew_fail', { timestamp: NOW - 1 }),
        notBefore: iso(NOW),
      },
    ),
    fail(
      'replay_not_before_before_chain_fail',
      'predates not_before and chains to no anchor: the not_before rule is at check 7, before the chain',
      'replay',
      {
        envelope: at('replay_not_before_before_chain_fail', {
          timestamp: NOW - 60_000,
          chain: [ctx.faults.fromUntrustedRoot],
        }),
        notBefore: iso(NOW),
      },
    ),
  ]
}

// The HMAC is over the usual signing input, so only the alg is wrong.
function hmacEnvelope(envelope, key) {
  const unsigned = { ...envelope }
  delete unsigned.signature
  const mac = createHmac('sha256', key).update(frameOf(unsigned)).digest('base64')
  return { ...unsigned, signature: mac }
}
