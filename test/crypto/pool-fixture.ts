/**
 * A VerifierPool with real worker threads (running dist/verification/pool/verifier-worker.js, which `npm test` builds
 * first), the verdicts it delivered, and helpers to sign messages as bodhi.
 */
import { Worker } from 'node:worker_threads'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import type { VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import type { VerifierPoolOptions } from '../../src/verification/pool/verifier-pool-options.js'
import { VerifierPool } from '../../src/verification/pool/verifier-pool.js'
import type { Issued, Pki } from '../fixtures/pki.js'

export const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'

/** A message as its two frames. */
export type Frames = readonly [topic: string | Uint8Array, envelope: string | Uint8Array]

export interface PoolHarness {
  readonly pool: VerifierPool
  /** Every verdict delivered so far, in delivery order. */
  readonly results: VerifyResult[]
  /** Every loss reported so far. */
  readonly lost: { count: number; cause: unknown }[]
  /** Submits `messages` in order (waiting whenever the pool says it is full) and returns their verdicts. */
  verify(messages: readonly Frames[]): Promise<VerifyResult[]>
}

export async function startPool(options: VerifierPoolOptions): Promise<PoolHarness> {
  const pool = await VerifierPool.start(options)
  const results: VerifyResult[] = []
  const lost: { count: number; cause: unknown }[] = []
  pool.deliverTo({
    onResult: (result) => results.push(result),
    onLost: (count, cause) => lost.push({ count, cause }),
  })
  return {
    pool,
    results,
    lost,
    async verify(messages) {
      const first = results.length
      for (const [topic, envelope] of messages) await pool.submit(bytes(topic), bytes(envelope))
      await pool.drain()
      return results.slice(first)
    },
  }
}

const bytes = (frame: string | Uint8Array) =>
  typeof frame === 'string' ? Buffer.from(frame, 'utf8') : frame

/** A signer for `leaf` with x5c [leaf, intermediate]. */
export function signerOf(pki: Pki, leaf: Issued): EnvelopeSigner {
  return new EnvelopeSigner({
    certificates: [leaf.der, pki.intermediate.der],
    privateKey: leaf.privateKey,
  })
}

/** Signs a message; a fresh msg_id unless given. */
export function signed(
  signer: EnvelopeSigner,
  input: { i: number; timestamp: number; msg?: Record<string, unknown>; msgId?: string },
  topic = TOPIC,
): readonly [string, Buffer] {
  const { frame } = signer.sign({ topic, msg: input.msg ?? { n: input.i }, ...input })
  return [topic, frame]
}

/** The worker threads started from now on in this process (Node emits 'worker' for each new one). */
export function watchWorkers(): { readonly started: Worker[]; stop(): void } {
  const started: Worker[] = []
  const onWorker = (worker: Worker) => started.push(worker)
  process.on('worker', onWorker)
  return { started, stop: () => process.off('worker', onWorker) }
}

/** Resolves once `worker` has exited. */
export function exited(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.threadId === -1) resolve()
    else worker.once('exit', () => resolve())
  })
}
