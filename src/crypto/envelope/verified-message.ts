import type { RejectReason } from '../../errors.js'
import type { ReplayAdmission } from '../replay/replay-admission.js'

/** Signature algorithms of fedmsg/1 (docs/protocol.md, "Algorithms"). */
export type Alg = 'ES256' | 'EdDSA' | 'PS256' | 'RS256'

/** Who signed a message: taken from its verified leaf certificate. */
export interface SignerIdentity {
  /** The leaf's subject CN: the service name routing policy speaks of. */
  readonly name: string
  /** Leaf serial number, lower-case hex without leading zeros. */
  readonly serial: string
  /** SHA-256 of the leaf's DER, lower-case hex. */
  readonly fingerprint: string
  /** The leaf issuer's distinguished name. */
  readonly issuer: string
}

const issuerToken: unique symbol = Symbol('VerifiedMessage issuer')

/** Fields of a message that passed every check. */
export interface VerifiedFields {
  readonly topic: string
  readonly body: Readonly<Record<string, unknown>>
  readonly signer: SignerIdentity
  readonly msgId: string
  readonly timestamp: number
  readonly i: number
  readonly headers: Readonly<Record<string, string>>
  readonly alg: Alg
}

/**
 * A message that passed every check. Only {@link admitMessage} creates one (the package does not export it, and
 * no other module holds its token), so a consumer can never be handed an unverified message.
 *
 * It is deeply immutable: the message, its body (every nested object and array) and its headers are frozen, so
 * one consumer cannot change what the next consumer of the same message sees (docs/threat-model.md B7).
 */
export class VerifiedMessage implements VerifiedFields {
  readonly topic: string
  readonly body: Readonly<Record<string, unknown>>
  readonly signer: SignerIdentity
  readonly msgId: string
  readonly timestamp: number
  readonly i: number
  readonly headers: Readonly<Record<string, string>>
  readonly alg: Alg
  // The frame as it was verified; decoded once, on first read of `envelope`. Private fields are not touched by
  // Object.freeze, so the cache can fill in on a frozen message.
  readonly #frame: Uint8Array
  #envelope: string | undefined

  constructor(token: typeof issuerToken, fields: VerifiedFields, envelopeFrame: Uint8Array) {
    if (token !== issuerToken)
      throw new TypeError('only the envelope verifier creates a VerifiedMessage')
    this.topic = fields.topic
    this.body = deepFreeze(fields.body)
    this.signer = fields.signer
    this.msgId = fields.msgId
    this.timestamp = fields.timestamp
    this.i = fields.i
    this.headers = Object.freeze(fields.headers)
    this.alg = fields.alg
    this.#frame = envelopeFrame
    Object.freeze(this)
  }

  /**
   * The envelope frame exactly as it was received and verified, as text: `Buffer.from(message.envelope, 'utf8')`
   * is byte for byte the frame, so it can be stored or forwarded and verified again anywhere. Decoded on first
   * read (the frame already passed the strict UTF-8 check) and kept.
   */
  get envelope(): string {
    this.#envelope ??= Buffer.from(
      this.#frame.buffer,
      this.#frame.byteOffset,
      this.#frame.byteLength,
    ).toString('utf8')
    return this.#envelope
  }
}

// Parsed JSON holds only plain objects, arrays and primitives. Iterative, so that a body nested as deep as the
// canonical check allows cannot overflow the stack here.
function deepFreeze<T extends object>(root: T): Readonly<T> {
  const pending: object[] = [root]
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    Object.freeze(value)
    for (const child of Object.values(value)) {
      if (typeof child === 'object' && child !== null) pending.push(child)
    }
  }
  return root
}

/**
 * Check 12 of docs/protocol.md §5, the last, and the one place a {@link VerifiedMessage} is built: admits the
 * message's `msg_id` to `replays` (none: no replay check) and issues the message. Both verifying paths end here:
 * `EnvelopeVerifier` inline, and a `VerifierPool` on its main thread with the fields its worker checked. Throws
 * `Rejection('replay')`. Call only when every other check passed; not exported from the package.
 * `envelopeFrame` is the frame the checks ran on; it is kept, not copied, so its bytes must not change
 * afterwards (the verifiers' callers hand over received frames).
 *
 * @example
 * ```ts
 * const message = admitMessage(fields, envelopeFrame, replayCache, now)
 * ```
 */
export function admitMessage(
  fields: VerifiedFields,
  envelopeFrame: Uint8Array,
  replays: ReplayAdmission | undefined,
  now: number,
): VerifiedMessage {
  replays?.admit(fields.msgId, fields.timestamp, now)
  return new VerifiedMessage(issuerToken, fields, envelopeFrame)
}

/** What is known about a rejected message, for logs and `fedmsg tail --show-rejected`. */
export interface Rejected {
  readonly ok: false
  readonly reason: RejectReason
  readonly detail: string
  /** The envelope's topic, when the envelope parsed far enough to have one. */
  readonly topic?: string
  /** The leaf CN, when the chain parsed far enough to have one (not proof of who sent it). */
  readonly signer?: string
}

/** The verifier's answer: exactly one of a verified message or one reason code. */
export type VerifyResult = { readonly ok: true; readonly message: VerifiedMessage } | Rejected
