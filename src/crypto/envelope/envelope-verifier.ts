import { CertInvalid, CrlInvalid, Rejection } from '../../errors.js'
import { assertAlgFitsKey } from '../algorithms.js'
import { decodeUtf8Strict } from '../canonical.js'
import { ChainValidator, type ValidatedChain } from '../chain/chain-validator.js'
import { parseEnvelope, type ParsedEnvelope } from './envelope.js'
import { assertFresh } from './freshness.js'
import { PEM_LABEL } from '../pem.js'
import { verifyBytes } from '../primitives.js'
import type { ReplayAdmission } from '../replay/replay-admission.js'
import { ReplayCache } from '../replay/replay-cache.js'
import { RoutingPolicy } from '../policy/routing-policy.js'
import { MAX_TOPIC_BYTES } from '../policy/topic-pattern.js'
import { frameCountRejection, verdictOf, type RejectedAbout } from './verdict.js'
import { admitMessage, type VerifiedMessage, type VerifyResult } from './verified-message.js'
import {
  resolveVerifierOptions,
  toDerList,
  VERIFIER_DEFAULTS,
  type ResolvedVerifierOptions,
  type VerifierOptions,
} from './verifier-options.js'

function toBytes(frame: Uint8Array | string): Uint8Array {
  return typeof frame === 'string' ? Buffer.from(frame, 'utf8') : frame
}

/**
 * The frame as a Buffer that cannot change while it is checked. `verify` is synchronous and keeps no reference
 * to the frame, so the caller's bytes can only change under it when another thread can write them: memory
 * that is not a plain ArrayBuffer (a SharedArrayBuffer) is copied, anything else is used in place.
 */
function stableBuffer(bytes: Uint8Array): Buffer {
  if (!(bytes.buffer instanceof ArrayBuffer)) return Buffer.from(bytes)
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/**
 * Verifies fedmsg/1 envelopes: the checks of docs/protocol.md §5, in that order, first failure wins.
 * Holds the trust anchors, CRLs, policy and the replay window; one instance per consumer.
 *
 * @example
 * ```ts
 * const verifier = new EnvelopeVerifier({ trustAnchors: [readFileSync('root-ca.crt', 'utf8')] })
 * const result = verifier.verify(topicFrame, envelopeFrame)
 * if (result.ok) handle(result.message)
 * else log.warn({ reason: result.reason, detail: result.detail })
 * ```
 */
export class EnvelopeVerifier {
  readonly #options: ResolvedVerifierOptions
  readonly #policy: RoutingPolicy
  readonly #chains: ChainValidator
  readonly #replays: ReplayAdmission | undefined
  readonly #asOfMessageTime: boolean

  /** Throws `CertInvalid`/`CrlInvalid` for unusable anchors or CRLs, `TypeError` for a bad option. */
  constructor(options: VerifierOptions) {
    this.#options = resolveVerifierOptions(options)
    this.#policy = options.policy ?? RoutingPolicy.allowAll()
    this.#asOfMessageTime = options.asOfMessageTime ?? false
    this.#chains = new ChainValidator({
      trustAnchors: toDerList(
        options.trustAnchors,
        PEM_LABEL.certificate,
        (m) => new CertInvalid(m),
      ),
      crls: toDerList(options.crls ?? [], PEM_LABEL.crl, (m) => new CrlInvalid(m)),
      requireCrls: options.requireCrls ?? false,
      revocationAsOf: this.#asOfMessageTime,
      maxChainLength: this.#options.maxChainLength,
      cacheSize: options.chainCacheSize ?? VERIFIER_DEFAULTS.chainCacheSize,
    })
    const windowMs = this.#options.replayWindowMs
    this.#replays =
      options.replayAdmission ?? (windowMs === null ? undefined : new ReplayCache(windowMs))
  }

  /**
   * How much the verifier remembers now: verified and refused chains (each bounded by `chainCacheSize`) and
   * accepted `msg_id`s (bounded by the replay window and REPLAY_CACHE_MAX_ENTRIES). For monitoring and tests.
   */
  cacheSizes(): {
    readonly verifiedChains: number
    readonly rejectedChains: number
    readonly msgIds: number
  } {
    const chains = this.#chains.cacheSizes()
    return {
      verifiedChains: chains.verified,
      rejectedChains: chains.rejected,
      msgIds: this.#replays?.size ?? 0,
    }
  }

  /** Replaces the CRLs (hot reload); throws `CrlInvalid` and keeps the old ones when one is unusable. */
  setCrls(crls: readonly (string | Uint8Array)[]): void {
    this.#chains.setCrls(toDerList(crls, PEM_LABEL.crl, (m) => new CrlInvalid(m)))
  }

  /**
   * Verifies one message given as the list of its ZeroMQ frames: a message of any other number than two is
   * `malformed` before any other check, `oversize` included (docs/protocol.md §5, check 1).
   *
   * @example
   * ```ts
   * const result = verifier.verifyMessage(await socket.receive())
   * ```
   */
  verifyMessage(frames: readonly (Uint8Array | string)[]): VerifyResult {
    return frameCountRejection(frames.length) ?? this.verify(frames[0]!, frames[1]!)
  }

  /**
   * Verifies one message given as its two frames. Never throws on any input: the answer is a verified
   * message or exactly one reason code. Throws only when a journaled `replayAdmission` cannot record an
   * accepted message (`StateUnavailable`): then the message must not be acted on.
   */
  verify(topicFrame: Uint8Array | string, envelopeFrame: Uint8Array | string): VerifyResult {
    const progress: RejectedAbout = {}
    const result = verdictOf(progress, () =>
      this.#check(toBytes(topicFrame), toBytes(envelopeFrame), progress),
    )
    // Outside the verdict's catch: a replay journal that cannot be written is an operational error (thrown,
    // `StateUnavailable`), not a verdict on the message, and the message must then not be acted on.
    if (result.ok) this.#replays?.commit()
    return result
  }

  #check(
    topicBytes: Uint8Array,
    envelopeBytes: Uint8Array,
    progress: RejectedAbout,
  ): VerifiedMessage {
    const options = this.#options
    assertSize(topicBytes, envelopeBytes, options.maxEnvelopeBytes)
    const topicFrame = decodeTopicFrame(stableBuffer(topicBytes))
    const envelopeFrame = stableBuffer(envelopeBytes)
    const parsed = parseEnvelope(envelopeFrame, options)
    const { envelope } = parsed
    progress.topic = envelope.topic
    assertTopicFrame(topicFrame, envelope.topic)
    const now = this.#asOfMessageTime ? envelope.timestamp : options.now()
    assertFresh(envelope.timestamp, now, options)
    const chain = this.#chains.validate(parsed.certificates, {
      now,
      timestamp: envelope.timestamp,
      skewMs: options.clockSkewMs,
    })
    progress.signer = chain.signer.name
    assertAlgFitsKey(envelope.alg, chain.leafKey)
    this.#assertAllowed(envelope.topic, chain.signer.name)
    assertSignature(parsed, chain)
    return admitMessage(
      {
        topic: envelope.topic,
        body: envelope.msg,
        signer: chain.signer,
        msgId: envelope.msg_id,
        timestamp: envelope.timestamp,
        i: envelope.i,
        headers: Object.freeze({ ...envelope.headers }),
        alg: envelope.alg,
      },
      envelopeFrame,
      this.#replays,
      now,
    )
  }

  // Check 10: "not allowed" is its own reason, apart from "not genuine" (docs/protocol.md §6).
  #assertAllowed(topic: string, signer: string): void {
    if (!this.#policy.isAllowed(topic, signer)) {
      throw new Rejection('policy_denied', `${signer} may not publish on ${topic}`)
    }
  }
}

// Check 1: limits come before any parsing, so an oversized frame costs nothing more than its length.
function assertSize(topic: Uint8Array, envelope: Uint8Array, maxEnvelopeBytes: number): void {
  if (topic.length > MAX_TOPIC_BYTES) {
    throw new Rejection(
      'oversize',
      `topic frame is ${topic.length} bytes; the limit is ${MAX_TOPIC_BYTES}`,
    )
  }
  if (envelope.length > maxEnvelopeBytes) {
    throw new Rejection(
      'oversize',
      `envelope frame is ${envelope.length} bytes; the limit is ${maxEnvelopeBytes}`,
    )
  }
}

// Check 2 (topic frame part): the frame must be text before it can be compared with the signed topic.
function decodeTopicFrame(bytes: Uint8Array): string {
  const topic = decodeUtf8Strict(bytes)
  if (topic === undefined) throw new Rejection('malformed', 'topic frame is not valid UTF-8')
  return topic
}

// Check 5: the unsigned routing frame must say what the signed envelope says, so nobody can re-route it.
function assertTopicFrame(topicFrame: string, topic: string): void {
  if (topicFrame !== topic) {
    throw new Rejection(
      'topic_mismatch',
      `topic frame ${JSON.stringify(topicFrame)} is not ${topic}`,
    )
  }
}

// Check 11.
function assertSignature(parsed: ParsedEnvelope, chain: ValidatedChain): void {
  const { envelope, signingInput, signature } = parsed
  if (!verifyBytes(envelope.alg, chain.leafKey, signingInput, signature)) {
    throw new Rejection(
      'bad_signature',
      `${envelope.alg} signature does not verify with the leaf key`,
    )
  }
}
