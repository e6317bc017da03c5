// One vector file's content, with its members always in the same order (test/vectors/README.md).
import { frameOf, NOW_ISO, standardMode, TOPIC } from './envelope-builder.js'

const ROOT_ANCHOR = 'keys/root-ca.crt'

/** Text, or base64 when the bytes are not valid UTF-8: `{ [name]: text }` or `{ [name_b64]: base64 }`. */
function frameMember(name, frame) {
  if (typeof frame === 'string') return { [name]: frame }
  if (!Buffer.isBuffer(frame)) return { [name]: frameOf(frame) }
  // Invalid UTF-8 decodes to U+FFFD, which does not encode back to the same bytes.
  const text = frame.toString('utf8')
  return Buffer.from(text, 'utf8').equals(frame)
    ? { [name]: text }
    : { [`${name}_b64`]: frame.toString('base64') }
}

/**
 * A vector. `envelope` is an envelope object (sent as its JCS), a string (sent as is) or a Buffer; `envelopes`
 * lists several, verified in order by one verifier, with `expected` then a list too.
 */
export function vector(spec) {
  if (spec.frames !== undefined) return frameListVector(spec)
  const frames =
    spec.envelopes === undefined
      ? frameMember('envelope_frame', spec.envelope)
      : { envelope_frames: spec.envelopes.map((e) => frameOf(e)) }
  return {
    description: spec.description,
    ...frameMember('topic_frame', spec.topicFrame ?? TOPIC),
    ...frames,
    trust_anchors: spec.anchors ?? [ROOT_ANCHOR],
    crls: spec.crls ?? [],
    ...(spec.requireCrls === undefined ? {} : { require_crls: spec.requireCrls }),
    policy: spec.policy ?? null,
    now: spec.now ?? NOW_ISO,
    ...(spec.notBefore === undefined ? {} : { not_before: spec.notBefore }),
    max_age_seconds: spec.maxAgeSeconds === undefined ? 300 : spec.maxAgeSeconds,
    clock_skew_seconds: spec.clockSkewSeconds ?? 30,
    ...(spec.maxEnvelopeBytes === undefined ? {} : { max_envelope_bytes: spec.maxEnvelopeBytes }),
    ...(spec.allowedAlgs === undefined ? {} : { allowed_algs: spec.allowedAlgs }),
    expected: spec.expected,
  }
}

/** A vector that gives the message as its whole frame list (`frames`: text), for frame-count cases. */
function frameListVector(spec) {
  const record = vector({ ...spec, frames: undefined, envelope: '' })
  delete record.topic_frame
  delete record.envelope_frame
  return { description: record.description, frames: spec.frames, ...record }
}

/**
 * A signed envelope from `leaf` (x5c = `chain`, default leaf + intermediate) with `alg`, msg_id from `label`,
 * the other members healthy unless `changes` says; `mode` signs (default: the usual way for `alg`).
 */
export function signedBy(ctx, { leaf, chain, alg, label, mode, ...changes }) {
  const unsigned = ctx.builder.unsigned({
    chain: chain ?? [leaf, ctx.pki.intermediate],
    alg,
    label,
    ...changes,
  })
  return ctx.builder.signed(unsigned, mode ?? standardMode(alg, leaf.privateKey))
}
