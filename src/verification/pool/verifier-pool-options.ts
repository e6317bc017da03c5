import { availableParallelism } from 'node:os'
import { CertInvalid, CrlInvalid } from '../../errors.js'
import { PEM_LABEL } from '../../crypto/pem.js'
import { toDerList, type VerifierOptions } from '../../crypto/envelope/verifier-options.js'
import type { WorkerSetup } from './verifier-pool-protocol.js'

/** The options of an `EnvelopeVerifier`, with the routing policy given as its JSON document, plus the pool's own. */
export interface VerifierPoolOptions extends Omit<VerifierOptions, 'policy'> {
  /** The routing policy document (what `RoutingPolicy.fromJson` takes); absent: allow all. */
  readonly policyJson?: unknown
  /** Worker threads, >= 1. */
  readonly workers: number
  /** Most messages per batch; default {@link POOL_DEFAULTS}. */
  readonly batchSize?: number
  /** Batches a worker holds at once (one being verified, the next waiting); default {@link POOL_DEFAULTS}. */
  readonly batchesPerWorker?: number
}

/** The pool's defaults, in one place (bench/README.md, "End-to-end through a hub", has the measurements). */
export const POOL_DEFAULTS = Object.freeze({
  batchSize: 64,
  batchesPerWorker: 2,
  /** A batch closes early at this many bytes of frames, so that large messages do not pile up in memory. */
  maxBatchBytes: 1_048_576,
  /** Most threads `verify_workers: "auto"` starts. */
  maxAutoWorkers: 8,
})

/**
 * The number of worker threads `verify_workers: "auto"` means: one per core, at most 8; none on a single core,
 * where a thread would only add the cost of handing messages over.
 *
 * @example
 * ```ts
 * const workers = config.verify_workers === 'auto' ? defaultVerifyWorkers() : config.verify_workers
 * ```
 */
export function defaultVerifyWorkers(): number {
  const cores = availableParallelism()
  return cores < 2 ? 0 : Math.min(cores, POOL_DEFAULTS.maxAutoWorkers)
}

/**
 * The plain data a thread builds its verifier from: anchors and CRLs as DER, the policy as its document, each
 * option named (so that nothing that cannot cross a thread boundary, a clock or a class, is passed on).
 */
export function workerSetupOf(options: VerifierPoolOptions): WorkerSetup {
  // VerifierOptions spread into these options type-check, and a RoutingPolicy object cannot cross to a
  // thread: taking it silently would verify without the policy, allowing every signer every topic.
  if ('policy' in options) {
    throw new TypeError(
      'a VerifierPool takes the routing policy as policyJson (its JSON document), not policy',
    )
  }
  return {
    trustAnchors: toDerList(options.trustAnchors, PEM_LABEL.certificate, (m) => new CertInvalid(m)),
    crls: toDerList(options.crls ?? [], PEM_LABEL.crl, (m) => new CrlInvalid(m)),
    requireCrls: options.requireCrls,
    policyJson: options.policyJson,
    maxAgeMs: options.maxAgeMs,
    clockSkewMs: options.clockSkewMs,
    notBeforeMs: options.notBeforeMs,
    maxEnvelopeBytes: options.maxEnvelopeBytes,
    maxChainLength: options.maxChainLength,
    allowedAlgs: options.allowedAlgs,
    chainCacheSize: options.chainCacheSize,
  }
}
