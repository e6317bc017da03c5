// Vectors for check 2 of docs/protocol.md §5 (and rule 2 of §4.3): every way an envelope is malformed. Text
// mutations start from a correctly signed frame, so a verifier that re-canonicalized instead of refusing would
// find a valid signature and wrongly accept.
import { BODY, frameOf, rejected, TOPIC } from './envelope-builder.js'
import { nestedBody } from './cases-accepted.js'
import { signedBy, vector } from './vector-record.js'

/** `text` with its first `from` replaced by `to`; throws when `from` is absent, so no vector silently keeps its frame. */
function edit(text, from, to) {
  if (!text.includes(from)) throw new Error(`cannot find ${from} in the frame`)
  return text.replace(from, to)
}

// Flips the base64 of `value` into a non-canonical spelling of the same bytes, or undefined.
const urlSafe = (value) =>
  /[+/]/.test(value) ? value.replace(/\+/g, '-').replace(/\//g, '_') : undefined

export function malformedCases(ctx) {
  const { bodhi, intermediate } = ctx.pki
  const at = (label, changes = {}) =>
    signedBy(ctx, { leaf: bodhi, alg: 'EdDSA', label, ...changes })
  const malformed = (name, description, envelope, spec = {}) => [
    `malformed_${name}_fail`,
    vector({ description, envelope, expected: rejected('malformed'), ...spec }),
  ]
  const base = at('malformed')
  const frame = frameOf(base)
  const example = at('eddsa_chain2_ok')
  const numbers = frameOf(at('malformed_numbers', { msg: { ...BODY, n: 9007199254740991 } }))
  const x5c0 = base.x5c[0]
  return [
    malformed('truncated', 'the frame lacks its closing brace: not JSON', frame.slice(0, -1)),
    malformed('not_an_object', 'the frame is a JSON array', '[]'),
    malformed(
      'whitespace',
      'one space after the first colon: valid JSON, not its JCS form',
      edit(frame, '"alg":', '"alg": '),
    ),
    malformed('trailing_newline', 'a line feed after the object', `${frame}\n`),
    malformed('bom', 'a UTF-8 byte order mark before the object', `\ufeff${frame}`),
    malformed(
      'member_order',
      'members in insertion order (v, topic, msg, ...) instead of sorted',
      JSON.stringify({
        v: base.v,
        topic: base.topic,
        msg: base.msg,
        msg_id: base.msg_id,
        timestamp: base.timestamp,
        i: base.i,
        alg: base.alg,
        x5c: base.x5c,
        signature: base.signature,
      }),
    ),
    malformed(
      'duplicate_member',
      'member "alg" twice: parsers disagree on which one counts',
      edit(frame, '{"alg":"EdDSA",', '{"alg":"EdDSA","alg":"EdDSA",'),
    ),
    malformed(
      'escaped_solidus',
      '"fedmsg\\/1": the same string, spelled with an escape JCS does not use',
      edit(frame, '"v":"fedmsg/1"', '"v":"fedmsg\\/1"'),
    ),
    malformed(
      'unicode_escape',
      '"Jos\\u00e9": JCS writes é as raw UTF-8',
      edit(frame, 'José', 'Jos\\u00e9'),
    ),
    malformed('number_form', '"i":1.0 instead of "i":1', edit(frame, '"i":1,', '"i":1.0,')),
    malformed(
      'exponent_form',
      'timestamp written with an exponent',
      edit(frame, `"timestamp":${base.timestamp}`, `"timestamp":${base.timestamp / 1000}e3`),
    ),
    malformed(
      'unsafe_integer',
      '9007199254740993 in the body: beyond IEEE 754 double precision, it does not survive parsing',
      edit(numbers, '9007199254740991', '9007199254740993'),
    ),
    malformed(
      'negative_zero',
      '-0 in the body: JCS writes 0',
      edit(numbers, '"n":9007199254740991', '"n":-0'),
    ),
    malformed(
      'infinite_number',
      '1e400 in the body: not a finite double',
      edit(numbers, '"n":9007199254740991', '"n":1e400'),
    ),
    malformed(
      'invalid_utf8',
      'é written as the single byte 0xE9 (Latin-1): not UTF-8',
      Buffer.concat(
        frame
          .split('é')
          .flatMap((part, i) =>
            i === 0 ? [Buffer.from(part)] : [Buffer.from([0xe9]), Buffer.from(part)],
          ),
      ),
    ),
    malformed(
      'lone_surrogate',
      'a body string holds the lone surrogate \\ud800: refused although json-canonicalize round-trips it (RFC 8785 §3.2.2.2)',
      at('malformed_lone_surrogate', { msg: { ...BODY, agent: '\ud800' } }),
    ),
    malformed(
      'tojson_member',
      'a body member named toJSON, members sorted: refused (json-canonicalize hands such objects to JSON.stringify)',
      at('malformed_tojson_member', { msg: { agent: 'José', toJSON: 'x', update: BODY.update } }),
    ),
    malformed(
      'tojson_unsorted',
      'a body member named toJSON with members unsorted: json-canonicalize keeps the order, so only the toJSON rule refuses it',
      at('malformed_tojson_unsorted', { msg: { update: BODY.update, toJSON: 'x', agent: 'José' } }),
    ),
    malformed(
      'unknown_member',
      'signed envelope with an extra member "x5u"',
      at('malformed_unknown_member', { x5u: 'https://example.org/bodhi.pem' }),
    ),
    malformed(
      'missing_member',
      'signed envelope without msg_id',
      at('malformed_missing_member', { msg_id: undefined }),
    ),
    malformed(
      'sequence_string',
      '"i" is the string "1"',
      at('malformed_sequence_string', { i: '1' }),
    ),
    malformed('sequence_zero', '"i" is 0; it starts at 1', at('malformed_sequence_zero', { i: 0 })),
    malformed(
      'fractional_timestamp',
      'timestamp with a fraction of a millisecond',
      at('malformed_fractional_timestamp', { timestamp: base.timestamp + 0.5 }),
    ),
    malformed(
      'msg_id_uppercase',
      'msg_id with upper-case hex digits',
      at('malformed_msg_id_uppercase', { msg_id: base.msg_id.toUpperCase() }),
    ),
    malformed(
      'msg_id_not_v4',
      'msg_id holds a version 1 UUID',
      at('malformed_msg_id_not_v4', { msg_id: '2026-6ba7b810-9dad-11d1-80b4-00c04fd430c8' }),
    ),
    malformed(
      'msg_not_object',
      '"msg" is an array',
      at('malformed_msg_not_object', { msg: [BODY] }),
    ),
    malformed(
      'header_not_string',
      'a header value is a number',
      at('malformed_header_not_string', { headers: { retries: 3 } }),
    ),
    malformed(
      'envelope_topic',
      'the signed topic has an empty token (and the topic frame says the same)',
      at('malformed_envelope_topic', { topic: 'org.fedoraproject..bodhi' }),
      { topicFrame: 'org.fedoraproject..bodhi' },
    ),
    malformed(
      'base64_no_padding',
      'signature base64 without its "==" padding',
      edit(
        frame,
        `"signature":"${base.signature}"`,
        `"signature":"${base.signature.replace(/=+$/, '')}"`,
      ),
    ),
    malformed(
      'base64_url_safe',
      'x5c[0] in the URL-safe alphabet',
      edit(frame, x5c0, urlSafe(x5c0) ?? urlSafe(base.x5c[1])),
    ),
    malformed(
      'base64_pad_bits',
      'signature base64 whose last character sets pad bits that must be zero',
      edit(
        frame,
        base.signature,
        base.signature.replace(/(.)==$/, (_, c) => `${String.fromCharCode(c.charCodeAt(0) + 1)}==`),
      ),
    ),
    malformed(
      'base64_line_break',
      'x5c[0] broken into 64-character lines, as in PEM',
      edit(frame, x5c0, `${x5c0.slice(0, 64)}\\n${x5c0.slice(64)}`),
    ),
    malformed('x5c_empty', 'x5c is an empty array', at('malformed_x5c_empty', { chain: [] })),
    malformed(
      'x5c_too_long',
      'x5c of 5 certificates; the limit is 4 (an appended anchor counts)',
      at('malformed_x5c_too_long', {
        chain: [bodhi, intermediate, intermediate, intermediate, intermediate],
      }),
    ),
    malformed(
      'x5c_not_der',
      'x5c[0] is canonical base64 of bytes that are not a certificate: refused at the chain step (check 8)',
      at('malformed_x5c_not_der', {
        x5c: [Buffer.from('not a certificate').toString('base64'), base.x5c[1]],
      }),
    ),
    malformed(
      'x5c_trailing_bytes',
      'x5c[0] is the leaf DER followed by one extra byte',
      at('malformed_x5c_trailing_bytes', {
        x5c: [
          Buffer.concat([Buffer.from(bodhi.der), Buffer.from([0])]).toString('base64'),
          base.x5c[1],
        ],
      }),
    ),
    malformed('topic_frame_utf8', 'the topic frame is not UTF-8 (0xFF byte)', example, {
      topicFrame: Buffer.concat([Buffer.from(TOPIC), Buffer.from([0xff])]),
    }),
    malformed(
      'nesting_past_limit',
      'a body nested 1025 levels deep, the envelope included, validly signed: one past the limit of docs/protocol.md §2.1',
      at('malformed_nesting_past_limit', { msg: nestedBody(1025) }),
    ),
  ]
}
