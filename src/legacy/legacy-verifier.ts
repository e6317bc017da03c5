import { createHash, verify as verifySignature, constants } from 'node:crypto'
import { Rejection } from '../errors.js'
import { decodeUtf8Strict } from '../crypto/canonical.js'
import { LegacyChain } from './legacy-chain.js'
import { decodeLegacyBase64 } from './legacy-base64.js'
import type { LegacyVerifyResult } from './legacy-message.js'
import { LegacyRoutingPolicy } from './legacy-routing-policy.js'
import { dumpPythonJson, parsePythonJson, PythonJsonError, type PyObject } from './python-json.js'

/** How a {@link LegacyVerifier} is configured. */
export interface LegacyVerifierOptions {
  /**
   * Legacy signatures are RSA PKCS#1 v1.5 over SHA-1, which this project accepts nowhere else: constructing a
   * legacy verifier takes this explicit `true` (docs/threat-model.md, "Legacy bridge").
   */
  readonly acceptSha1: true
  /** Python fedmsg's `ca_cert_location`: the legacy CA certificate(s), PEM text or DER. */
  readonly caCerts: readonly (string | Uint8Array)[]
  /** Python fedmsg's `crl_location`: the legacy CRL(s); none means no revocation check. */
  readonly crls?: readonly (string | Uint8Array)[]
  /** `routing_policy` with `routing_nitpicky`; default allows every signer, as Python fedmsg does. */
  readonly policy?: LegacyRoutingPolicy
  /** Largest frame read (default 1 MiB, as fedmsg/1). */
  readonly maxFrameBytes?: number
  /** The clock, in ms (default Date.now). */
  readonly now?: () => number
}

export const LEGACY_VERIFIER_DEFAULTS = Object.freeze({ maxFrameBytes: 1_048_576 })

interface Progress {
  topic?: string
  signer?: string
}

/**
 * Verifies Python fedmsg (1.x, x509) messages with Python fedmsg's rules, made strict: the message minus
 * `signature` and `certificate`, serialized as Python's `fedmsg.encoding.dumps`, must carry an RSA PKCS#1 v1.5
 * SHA-1 signature by the base64 PEM certificate in the message, which must chain to the legacy CA and not be
 * revoked; the topic must be allowed to its CN by the legacy routing policy; and, which Python fedmsg never
 * checked, the topic frame must be the message's topic.
 *
 * @example
 * ```ts
 * const legacy = new LegacyVerifier({ acceptSha1: true, caCerts: [caPem], crls: [crlPem] })
 * const result = legacy.verify(topicFrame, jsonFrame)
 * if (result.ok) console.log(result.message.signer.name)
 * ```
 */
export class LegacyVerifier {
  readonly #chain: LegacyChain
  readonly #policy: LegacyRoutingPolicy
  readonly #maxFrameBytes: number
  readonly #now: () => number

  /** Throws `CertInvalid`/`CrlInvalid` for an unusable CA or CRL, `TypeError` without `acceptSha1: true`. */
  constructor(options: LegacyVerifierOptions) {
    if ((options.acceptSha1 as unknown) !== true) {
      throw new TypeError(
        'a LegacyVerifier accepts SHA-1 signatures: pass acceptSha1: true to opt in',
      )
    }
    this.#chain = new LegacyChain(options.caCerts, options.crls ?? [])
    this.#policy = options.policy ?? LegacyRoutingPolicy.allowAll()
    this.#maxFrameBytes = options.maxFrameBytes ?? LEGACY_VERIFIER_DEFAULTS.maxFrameBytes
    this.#now = options.now ?? Date.now
  }

  /** Replaces the legacy CRLs; throws `CrlInvalid` and keeps the old ones when one is unusable. */
  setCrls(crls: readonly (string | Uint8Array)[]): void {
    this.#chain.setCrls(crls)
  }

  /** Never throws on any input: a verified legacy message or exactly one reason code. */
  verify(topicFrame: Uint8Array | string, frame: Uint8Array | string): LegacyVerifyResult {
    const progress: Progress = {}
    try {
      return this.#check(toBuffer(topicFrame), toBuffer(frame), progress)
    } catch (error) {
      const { reason, detail } =
        error instanceof Rejection
          ? error
          : new Rejection('malformed', `unexpected error: ${String(error)}`)
      return { ok: false, reason, detail, ...progress }
    }
  }

  #check(topicBytes: Buffer, frame: Buffer, progress: Progress): LegacyVerifyResult {
    if (frame.length > this.#maxFrameBytes) {
      throw new Rejection(
        'oversize',
        `frame is ${frame.length} bytes; the limit is ${this.#maxFrameBytes}`,
      )
    }
    const message = readMessage(frame)
    const { topic, signature, certificate } = requiredFields(message)
    progress.topic = topic
    if (message['crypto'] !== undefined && message['crypto'] !== 'x509') {
      throw new Rejection(
        'unsupported_alg',
        `legacy crypto ${JSON.stringify(message['crypto'])} is not x509`,
      )
    }
    const frameTopic = decodeUtf8Strict(topicBytes)
    if (frameTopic !== topic) {
      throw new Rejection(
        'topic_mismatch',
        `topic frame ${JSON.stringify(frameTopic ?? '')} is not ${topic}`,
      )
    }
    const signatureBytes = decodeLegacyBase64(signature, 'signature')
    const pem = decodeLegacyBase64(certificate, 'certificate').toString('latin1')
    const { key, signer } = this.#chain.validate(
      pem,
      this.#now(),
      (name) => (progress.signer = name),
    )
    if (!this.#policy.isAllowed(topic, signer.name)) {
      throw new Rejection(
        'policy_denied',
        `${signer.name} may not publish on ${topic} (legacy routing policy)`,
      )
    }
    assertSignature(message, key, signatureBytes)
    const msgId = message['msg_id']
    return {
      ok: true,
      message: Object.freeze({
        topic,
        message: deepFreeze(message),
        signer,
        msgId: typeof msgId === 'string' ? msgId : undefined,
        frame: Buffer.from(frame),
        frameSha256: createHash('sha256').update(frame).digest('hex'),
      }),
    }
  }
}

function toBuffer(bytes: Uint8Array | string): Buffer {
  return typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)
}

function readMessage(frame: Buffer): PyObject {
  const text = decodeUtf8Strict(frame)
  if (text === undefined) throw new Rejection('malformed', 'frame is not valid UTF-8')
  let value
  try {
    value = parsePythonJson(text)
  } catch (error) {
    if (!(error instanceof PythonJsonError)) throw error
    throw new Rejection('malformed', `frame is not JSON Python fedmsg reads: ${error.message}`)
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !isPlainObject(value)
  ) {
    throw new Rejection('malformed', 'a legacy message is a JSON object')
  }
  return value as PyObject
}

const isPlainObject = (value: object): boolean => Object.getPrototypeOf(value) === null

function requiredFields(message: PyObject): {
  topic: string
  signature: string
  certificate: string
} {
  const fields = ['topic', 'signature', 'certificate'] as const
  for (const field of fields) {
    if (typeof message[field] !== 'string') {
      throw new Rejection('malformed', `legacy message has no string "${field}"`)
    }
  }
  return {
    topic: message['topic'] as string,
    signature: message['signature'] as string,
    certificate: message['certificate'] as string,
  }
}

// Python fedmsg signs fedmsg.encoding.dumps of the message without its two credential fields.
function assertSignature(
  message: PyObject,
  key: import('node:crypto').KeyObject,
  signature: Buffer,
): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new Rejection(
      'unsupported_alg',
      `legacy certificate key is ${key.asymmetricKeyType}, not RSA`,
    )
  }
  const signed: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const [field, value] of Object.entries(message)) {
    if (field !== 'signature' && field !== 'certificate') signed[field] = value
  }
  const bytes = Buffer.from(dumpPythonJson(signed as PyObject), 'utf8')
  const ok = verifySignature(
    'sha1',
    bytes,
    { key, padding: constants.RSA_PKCS1_PADDING },
    signature,
  )
  if (!ok) throw new Rejection('bad_signature', 'RSA PKCS#1 v1.5 SHA-1 signature does not verify')
}

function deepFreeze<T extends object>(root: T): T {
  const pending: object[] = [root]
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    Object.freeze(value)
    for (const child of Object.values(value)) {
      if (typeof child === 'object' && child !== null) pending.push(child)
    }
  }
  return root
}
