import { Rejection } from '../../errors.js'
import { ALL_ALGS } from '../alg-names.js'
import { CHAIN_DEFAULTS } from '../chain/chain-defaults.js'
import { decodeBase64Strict } from '../base64.js'
import { parseCanonicalJson } from '../canonical.js'
import { isValidTopic } from '../policy/topic-pattern.js'
import type { Alg } from './verified-message.js'

/** The protocol version this code speaks. */
export const ENVELOPE_VERSION = 'fedmsg/1'

/** A fedmsg/1 envelope (docs/protocol.md §2), as it is on the wire. */
export interface Envelope {
  readonly v: typeof ENVELOPE_VERSION
  readonly topic: string
  readonly msg: Readonly<Record<string, unknown>>
  readonly msg_id: string
  readonly timestamp: number
  readonly i: number
  readonly headers?: Readonly<Record<string, string>>
  readonly alg: Alg
  readonly x5c: readonly string[]
  readonly signature: string
}

/** An envelope parsed once, with everything later checks need, so none of them reads the frame again. */
export interface ParsedEnvelope {
  readonly envelope: Envelope
  /** DER of each `x5c` element, leaf first. */
  readonly certificates: readonly Uint8Array[]
  readonly signature: Uint8Array
  /** The signed bytes: JCS of the envelope without `signature` (docs/protocol.md §2.2). */
  readonly signingInput: Uint8Array
}

/** Limits `parseEnvelope` enforces beyond the fixed grammar. */
export interface EnvelopeLimits {
  readonly maxChainLength: number
  readonly allowedAlgs: ReadonlySet<string>
}

const DEFAULT_LIMITS: EnvelopeLimits = {
  maxChainLength: CHAIN_DEFAULTS.maxChainLength,
  allowedAlgs: new Set(ALL_ALGS),
}

/** `<year>-<lower-case RFC 4122 version 4 UUID>` (docs/protocol.md §2). */
export const MSG_ID_PATTERN =
  /^[0-9]{4}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const REQUIRED_MEMBERS = [
  'v',
  'topic',
  'msg',
  'msg_id',
  'timestamp',
  'i',
  'alg',
  'x5c',
  'signature',
]
const KNOWN_MEMBERS: ReadonlySet<string> = new Set([...REQUIRED_MEMBERS, 'headers'])

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function malformed(detail: string): Rejection {
  return new Rejection('malformed', detail)
}

/** An envelope whose shape is checked but whose `v` and `alg` values are not yet. */
export type ShapedEnvelope = Omit<Envelope, 'v' | 'alg'> & {
  readonly v: string
  readonly alg: string
}

/** Check 2: exactly the members of §2, each of its type. */
export function assertShape(
  value: unknown,
  limits: EnvelopeLimits,
): asserts value is ShapedEnvelope {
  if (!isPlainObject(value)) throw malformed('envelope is not a JSON object')
  const unknown = Object.keys(value).find((key) => !KNOWN_MEMBERS.has(key))
  if (unknown !== undefined) throw malformed(`unknown member "${unknown}"`)
  const missing = REQUIRED_MEMBERS.find((key) => !Object.hasOwn(value, key))
  if (missing !== undefined) throw malformed(`missing member "${missing}"`)
  const { v, topic, msg, msg_id, timestamp, i, headers, alg, x5c, signature } = value
  if (typeof v !== 'string') throw malformed('"v" must be a string')
  if (typeof topic !== 'string' || !isValidTopic(topic)) {
    throw malformed('"topic" must be dot-separated tokens of [A-Za-z0-9_-]+, at most 255 bytes')
  }
  if (!isPlainObject(msg)) throw malformed('"msg" must be a JSON object')
  if (typeof msg_id !== 'string' || !MSG_ID_PATTERN.test(msg_id)) {
    throw malformed('"msg_id" must be <year>-<lower-case uuid v4>')
  }
  if (!Number.isSafeInteger(timestamp) || (timestamp as number) < 0) {
    throw malformed('"timestamp" must be an integer number of milliseconds >= 0')
  }
  if (!Number.isSafeInteger(i) || (i as number) < 1) throw malformed('"i" must be an integer >= 1')
  if (
    headers !== undefined &&
    !(isPlainObject(headers) && Object.values(headers).every((h) => typeof h === 'string'))
  ) {
    throw malformed('"headers" must be an object of strings')
  }
  if (typeof alg !== 'string') throw malformed('"alg" must be a string')
  if (
    !Array.isArray(x5c) ||
    x5c.length < 1 ||
    x5c.length > limits.maxChainLength ||
    !x5c.every((cert) => typeof cert === 'string')
  ) {
    throw malformed(`"x5c" must be an array of 1 to ${limits.maxChainLength} base64 strings`)
  }
  if (typeof signature !== 'string') throw malformed('"signature" must be a string')
}

/**
 * Where the top-level "signature" member sits in the JCS text of an envelope: right before its last
 * `,"timestamp":`.
 *
 * JCS sorts members (RFC 8785 §3.2.3), so "signature" comes after "msg_id" and before "timestamp", "topic",
 * "v" and "x5c". Those four hold an integer, a topic ([A-Za-z0-9_.-]), "fedmsg/1" and base64, never a `"`,
 * so no `,"timestamp":` can follow the top-level one; `msg` and `headers`, which may hold anything, come
 * before "msg_id". Finding the spot this way costs a short search instead of serializing members again.
 */
const AFTER_SIGNATURE = ',"timestamp":'

const signatureMember = (signature: string) => `,"signature":${JSON.stringify(signature)}`

/**
 * The envelope frame with `signature` added: the JCS of the envelope, given the JCS of the envelope without
 * it (docs/protocol.md §2.2), as bytes, so that the text is encoded to UTF-8 once. Its input comes from the
 * signer's own JCS assembly, whose members other than `msg` and `headers` never hold a `"`, so the search
 * below always finds the top-level member.
 *
 * @example
 * ```ts
 * insertSignatureMember(Buffer.from('{"alg":"EdDSA",…,"msg_id":"…","timestamp":1,…}'), 'c2ln…') // …,"signature":"c2ln…","timestamp":1,…
 * ```
 */
export function insertSignatureMember(signingInput: Buffer, signature: string): Buffer {
  const at = signingInput.lastIndexOf(AFTER_SIGNATURE)
  return Buffer.concat([
    signingInput.subarray(0, at),
    Buffer.from(signatureMember(signature), 'utf8'),
    signingInput.subarray(at),
  ])
}

/**
 * The DER of each `x5c` element. A publisher sends the same x5c with every message, so the last one decoded
 * is remembered with its strings: an equal list is the same bytes, and decoding and re-encoding about 1 KB of
 * base64 per message is skipped. The buffers are only read by the checks.
 */
let lastX5c: { readonly text: readonly string[]; readonly der: readonly Buffer[] } | undefined

function decodeX5c(x5c: readonly string[]): readonly Buffer[] {
  const last = lastX5c
  if (last?.text.length === x5c.length && last.text.every((cert, index) => cert === x5c[index])) {
    return last.der
  }
  const der = x5c.map((cert, index) => decodeBase64Strict(cert, `x5c[${index}]`))
  lastX5c = { text: [...x5c], der }
  return der
}

/**
 * The signing input, cut out of the already verified canonical frame instead of serializing the envelope a
 * second time: removing a member from a sorted object removes its bytes and its comma and nothing else, and
 * the result is the JCS of the rest (§2.2).
 */
function signingInputOf(frame: Buffer, envelope: ShapedEnvelope): Buffer {
  const end = frame.lastIndexOf(AFTER_SIGNATURE)
  const member = Buffer.from(signatureMember(envelope.signature), 'utf8')
  const start = end - member.length
  // Cannot fail for a frame that passed parseCanonicalJson; checked so that a bug here cannot go unseen.
  /* v8 ignore next 3 -- unreachable, see above */
  if (start < 0 || !member.equals(frame.subarray(start, end))) {
    throw malformed('cannot locate the "signature" member')
  }
  return Buffer.concat([frame.subarray(0, start), frame.subarray(end)])
}

/**
 * Parses and checks an envelope frame: checks 2–4 of docs/protocol.md §5, in order. Throws
 * `Rejection('malformed')` for anything not exactly a fedmsg/1 envelope in canonical form,
 * `Rejection('unsupported_version')` for another `v`, `Rejection('unsupported_alg')` for an `alg` that is
 * unknown or outside `limits.allowedAlgs`.
 *
 * @example
 * ```ts
 * const { envelope, signingInput } = parseEnvelope(frame)
 * ```
 */
export function parseEnvelope(
  frame: Buffer,
  limits: EnvelopeLimits = DEFAULT_LIMITS,
): ParsedEnvelope {
  const value = parseCanonicalJson(frame)
  assertShape(value, limits)
  const certificates = decodeX5c(value.x5c)
  const signature = decodeBase64Strict(value.signature, 'signature')
  if (value.v !== ENVELOPE_VERSION) {
    throw new Rejection('unsupported_version', `"v" is not "${ENVELOPE_VERSION}"`)
  }
  if (!limits.allowedAlgs.has(value.alg)) {
    throw new Rejection('unsupported_alg', `"alg" ${JSON.stringify(value.alg)} is not allowed`)
  }
  return {
    envelope: value as Envelope, // v and alg were checked just above
    certificates,
    signature,
    signingInput: signingInputOf(frame, value),
  }
}
