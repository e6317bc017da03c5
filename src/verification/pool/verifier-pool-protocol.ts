/**
 * What a `VerifierPool` and its worker threads say to each other. Everything here crosses a thread boundary,
 * so it is plain data: frames travel as one transferred ArrayBuffer per batch, verdicts as one JSON text per
 * batch (measured cheapest to read on the main thread: bench/README.md, "End-to-end through a hub").
 */
import { performance } from 'node:perf_hooks'
import type { RejectReason } from '../../errors.js'
import { EnvelopeVerifier } from '../../crypto/envelope/envelope-verifier.js'
import { RoutingPolicy } from '../../crypto/policy/routing-policy.js'
import { rejected } from '../../crypto/envelope/verdict.js'
import type { Alg, Rejected, SignerIdentity } from '../../crypto/envelope/verified-message.js'

/** How a worker builds its `EnvelopeVerifier`: the pool's options as plain, cloneable data (DER, JSON). */
export interface WorkerSetup {
  readonly trustAnchors: readonly Uint8Array[]
  readonly crls: readonly Uint8Array[]
  readonly requireCrls?: boolean
  /** The routing policy document (`RoutingPolicy.fromJson`); absent: allow all. */
  readonly policyJson?: unknown
  readonly maxAgeMs?: number | null
  readonly clockSkewMs?: number
  readonly notBeforeMs?: number
  readonly maxEnvelopeBytes?: number
  readonly maxChainLength?: number
  readonly allowedAlgs?: readonly Alg[]
  readonly chainCacheSize?: number
}

/** Main thread → worker: verify these messages as of `now`. */
export interface VerifyRequest {
  readonly type: 'verify'
  readonly id: number
  /** The clock reading for every check of the batch, taken when the main thread sent it. */
  readonly now: number
  /** Topic and envelope frames, one after the other, back to back. */
  readonly bytes: ArrayBuffer
  /** Byte length of each frame in `bytes`. */
  readonly lengths: ArrayBuffer
}

/** Main thread → worker: replace the CRLs (DER), for every batch that follows. */
export interface CrlUpdate {
  readonly type: 'crls'
  readonly crls: readonly Uint8Array[]
}

export type ToWorker = VerifyRequest | CrlUpdate

/** Worker → main thread: the verdicts on batch `id`, as the JSON text of a {@link VerdictList}. */
export type FromWorker =
  { readonly type: 'ready' } | { readonly type: 'verdicts'; id: number; json: string }

/** A message that passed every check the worker runs (all but replay, which the main thread keeps). */
export interface AcceptedVerdict {
  readonly ok: true
  readonly topic: string
  readonly body: Readonly<Record<string, unknown>>
  readonly msgId: string
  readonly timestamp: number
  readonly i: number
  readonly headers: Readonly<Record<string, string>>
  readonly alg: Alg
  /** Index of the signer in {@link VerdictList.signers}. */
  readonly signerRef: number
  readonly ms: number
}

export interface RejectedVerdict {
  readonly ok: false
  readonly reason: RejectReason
  readonly detail: string
  readonly topic?: string
  readonly signer?: string
  readonly ms: number
}

/** The verdicts of one batch, in the order of its messages; each signer is listed once. */
export interface VerdictList {
  readonly signers: readonly SignerIdentity[]
  readonly verdicts: readonly (AcceptedVerdict | RejectedVerdict)[]
}

/** The verifier a worker runs: no replay cache (the main thread's is the only one), the batch's clock. */
export function buildWorkerVerifier(setup: WorkerSetup, now: () => number): EnvelopeVerifier {
  const { policyJson, ...options } = setup
  return new EnvelopeVerifier({
    ...options,
    policy:
      policyJson === undefined ? RoutingPolicy.allowAll() : RoutingPolicy.fromJson(policyJson),
    now,
    replayWindowMs: null,
  })
}

/** Copies the frames (topic, envelope, topic, ...) into one buffer that can be transferred to a worker. */
export function packBatch(id: number, now: number, frames: readonly Uint8Array[]): VerifyRequest {
  let total = 0
  for (const frame of frames) total += frame.byteLength
  const bytes = new Uint8Array(total)
  const lengths = new Uint32Array(frames.length)
  let offset = 0
  frames.forEach((frame, index) => {
    bytes.set(frame, offset)
    offset += frame.byteLength
    lengths[index] = frame.byteLength
  })
  return { type: 'verify', id, now, bytes: bytes.buffer, lengths: lengths.buffer }
}

/** Verifies every message of a batch, in order, and encodes the verdicts. */
export function verifyBatch(verifier: EnvelopeVerifier, request: VerifyRequest): string {
  const lengths = new Uint32Array(request.lengths)
  const signers: SignerIdentity[] = []
  const signerRefs = new Map<string, number>()
  const verdicts: (AcceptedVerdict | RejectedVerdict)[] = []
  let offset = 0
  for (let index = 0; index < lengths.length; index += 2) {
    const topic = Buffer.from(request.bytes, offset, lengths[index])
    offset += lengths[index]!
    const envelope = Buffer.from(request.bytes, offset, lengths[index + 1])
    offset += lengths[index + 1]!
    const started = performance.now()
    const result = verifier.verify(topic, envelope)
    const ms = performance.now() - started
    if (!result.ok) {
      verdicts.push({ ...result, ms })
      continue
    }
    const { message } = result
    let signerRef = signerRefs.get(message.signer.fingerprint)
    if (signerRef === undefined) {
      signerRef = signers.push(message.signer) - 1
      signerRefs.set(message.signer.fingerprint, signerRef)
    }
    verdicts.push({
      ok: true,
      topic: message.topic,
      body: message.body,
      msgId: message.msgId,
      timestamp: message.timestamp,
      i: message.i,
      headers: message.headers,
      alg: message.alg,
      signerRef,
      ms,
    })
  }
  const list: VerdictList = { signers, verdicts }
  try {
    return JSON.stringify(list)
  } catch {
    // Within MAX_NESTING_DEPTH every verdict encodes; should one not, it alone is refused, so that no message
    // can take its thread down and with it the other messages of the batch.
    const encodable = verdicts.map((verdict): AcceptedVerdict | RejectedVerdict => {
      try {
        JSON.stringify(verdict)
        return verdict
      } catch (error) {
        const detail = `the verdict cannot be encoded: ${String(error)}`
        return { ...rejected('malformed', detail, { topic: verdict.topic }), ms: verdict.ms }
      }
    })
    return JSON.stringify({ signers, verdicts: encodable } satisfies VerdictList)
  }
}

/** The `Rejected` result a thread's verdict stands for. */
export function rejectedOf(verdict: RejectedVerdict): Rejected {
  return rejected(verdict.reason, verdict.detail, verdict)
}
