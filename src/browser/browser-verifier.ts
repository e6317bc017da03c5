import { Rejection, type RejectReason } from '../errors.js'
import { ALL_ALGS } from '../crypto/alg-names.js'
import { parseCanonicalText } from '../crypto/canonical.js'
import { assertShape, ENVELOPE_VERSION } from '../crypto/envelope/envelope.js'
import { assertFresh } from '../crypto/envelope/freshness.js'
import type { Alg } from '../crypto/envelope/verified-message.js'
import { RoutingPolicy } from '../crypto/policy/routing-policy.js'
import { MAX_TOPIC_BYTES } from '../crypto/policy/topic-pattern.js'
import { parseAnchors, parseCertificate, leafKeyInfo } from './browser-certificates.js'
import { validateChain } from './browser-chain.js'
import { decodeBase64Strict } from './strict-base64.js'
import { importLeafKey, verifySignature } from './webcrypto-algorithms.js'
import {
  resolveVerifierOptions,
  type ResolvedVerifierOptions,
  type VerifierOptions,
} from '../crypto/envelope/verifier-options.js'

/**
 * The Node verifier's options, less what a browser cannot use: anchors are PEM text, the policy is the
 * document of docs/protocol.md §6 (or null), and CRLs, require-CRLs and a journaled replay admission are not
 * taken (docs/browser.md).
 */
export interface BrowserVerifierOptions extends Omit<
  VerifierOptions,
  'trustAnchors' | 'crls' | 'requireCrls' | 'policy' | 'replayAdmission' | 'chainCacheSize'
> {
  readonly trustAnchors: readonly string[]
  readonly policy?: unknown
}

/** A message the browser verified: the envelope's fields and the signer's name. */
export interface BrowserVerifiedMessage {
  readonly topic: string
  readonly body: Readonly<Record<string, unknown>>
  readonly signer: string
  readonly msgId: string
  readonly timestamp: number
  readonly i: number
  readonly headers: Readonly<Record<string, string>>
  readonly alg: Alg
}

export type BrowserVerifyResult =
  | { readonly ok: true; readonly message: BrowserVerifiedMessage }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string }

const ALL_ALG_SET: ReadonlySet<string> = new Set(ALL_ALGS)
const SIGNATURE_BEFORE = ',"timestamp":'
const encoder = new TextEncoder()
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function toText(frame: string | Uint8Array, what: string): { text: string; bytes: number } {
  if (typeof frame === 'string') return { text: frame, bytes: encoder.encode(frame).length }
  if (frame[0] === 0xef && frame[1] === 0xbb && frame[2] === 0xbf) {
    throw new Rejection('malformed', `${what} starts with a BOM`)
  }
  try {
    return { text: strictUtf8.decode(frame), bytes: frame.length }
  } catch {
    throw new Rejection('malformed', `${what} is not valid UTF-8`)
  }
}

/**
 * Verifies fedmsg/1 envelopes in a browser with WebCrypto, by the checks of docs/protocol.md §5 it can make,
 * in the same order and with the same reason codes as the Node verifier. What it cannot check is listed in
 * docs/browser.md (CRLs, replay across page loads, certificate signature-algorithm and extension rules).
 *
 * @example
 * ```ts
 * const verifier = new BrowserVerifier({ trustAnchors: [rootPem] })
 * const result = await verifier.verify(topic, envelopeText)
 * ```
 */
export class BrowserVerifier {
  readonly #options: ResolvedVerifierOptions
  readonly #anchors: ReturnType<typeof parseAnchors>
  readonly #policy: RoutingPolicy
  readonly #seen = new Map<string, number>()

  constructor(options: BrowserVerifierOptions) {
    this.#options = resolveVerifierOptions({ ...options, policy: undefined })
    this.#anchors = parseAnchors(options.trustAnchors)
    this.#policy =
      options.policy === undefined || options.policy === null
        ? RoutingPolicy.allowAll()
        : RoutingPolicy.fromJson(options.policy)
  }

  /** Never throws: a verified message or one reason code. */
  async verify(
    topicFrame: string | Uint8Array,
    envelopeFrame: string | Uint8Array,
  ): Promise<BrowserVerifyResult> {
    try {
      return { ok: true, message: await this.#check(topicFrame, envelopeFrame) }
    } catch (error) {
      const { reason, detail } =
        error instanceof Rejection
          ? error
          : new Rejection('malformed', `unexpected error: ${String(error)}`)
      return { ok: false, reason, detail }
    }
  }

  async #check(
    topicFrame: string | Uint8Array,
    envelopeFrame: string | Uint8Array,
  ): Promise<BrowserVerifiedMessage> {
    const options = this.#options
    const topic = toText(topicFrame, 'topic frame')
    const frame = toText(envelopeFrame, 'envelope frame')
    if (topic.bytes > MAX_TOPIC_BYTES)
      throw new Rejection('oversize', `topic frame is ${topic.bytes} bytes`)
    if (frame.bytes > options.maxEnvelopeBytes) {
      throw new Rejection('oversize', `envelope frame is ${frame.bytes} bytes`)
    }
    const value = parseCanonicalText(frame.text)
    assertShape(value, { maxChainLength: options.maxChainLength, allowedAlgs: ALL_ALG_SET })
    const x5c = value.x5c.map((cert, index) => decodeBase64Strict(cert, `x5c[${index}]`))
    const signature = decodeBase64Strict(value.signature, 'signature')
    if (value.v !== ENVELOPE_VERSION)
      throw new Rejection('unsupported_version', `"v" is not "${ENVELOPE_VERSION}"`)
    if (!options.allowedAlgs.has(value.alg)) {
      throw new Rejection('unsupported_alg', `"alg" ${JSON.stringify(value.alg)} is not allowed`)
    }
    const alg = value.alg as Alg
    if (topic.text !== value.topic)
      throw new Rejection('topic_mismatch', `topic frame is not ${value.topic}`)
    const now = options.now()
    assertFresh(value.timestamp, now, options)
    const certs = x5c.map((der, index) => parseCertificate(der, `x5c[${index}]`))
    const chain = await validateChain(certs, this.#anchors, {
      now,
      timestamp: value.timestamp,
      skewMs: options.clockSkewMs,
    })
    const keyInfo = leafKeyInfo(chain.leaf)
    const key = await importLeafKey(alg, keyInfo)
    if (!this.#policy.isAllowed(value.topic, chain.signer)) {
      throw new Rejection('policy_denied', `${chain.signer} may not publish on ${value.topic}`)
    }
    const signingInput = encoder.encode(signingTextOf(frame.text, value.signature))
    if (!(await verifySignature(alg, key, keyInfo.modulusBits, signingInput, signature))) {
      throw new Rejection('bad_signature', `${alg} signature does not verify with the leaf key`)
    }
    this.#admit(value.msg_id, value.timestamp, now)
    return {
      topic: value.topic,
      body: value.msg,
      signer: chain.signer,
      msgId: value.msg_id,
      timestamp: value.timestamp,
      i: value.i,
      headers: Object.freeze({ ...value.headers }),
      alg,
    }
  }

  // Check 12, within this page's lifetime only: a msg_id seen in the replay window is refused.
  #admit(msgId: string, timestamp: number, now: number): void {
    const windowMs = this.#options.replayWindowMs
    if (windowMs === null) return
    for (const [id, at] of this.#seen) if (at < now - windowMs) this.#seen.delete(id)
    if (this.#seen.has(msgId)) throw new Rejection('replay', `msg_id ${msgId} was already accepted`)
    this.#seen.set(msgId, timestamp)
  }
}

// The signing input: the canonical frame without its "signature" member (docs/protocol.md §2.2), cut out as
// src/crypto/envelope/envelope.ts does.
function signingTextOf(text: string, signature: string): string {
  const end = text.lastIndexOf(SIGNATURE_BEFORE)
  const member = `,"signature":${JSON.stringify(signature)}`
  return text.slice(0, end - member.length) + text.slice(end)
}
