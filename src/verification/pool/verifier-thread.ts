import { Worker } from 'node:worker_threads'
import type { CrlUpdate, FromWorker, VerifyRequest, WorkerSetup } from './verifier-pool-protocol.js'

/**
 * The worker's script. From dist/ it is the compiled file next to this one. From the TypeScript sources
 * (vitest runs them as they are, and Node 20 cannot start a worker from a .ts file) it is the copy in dist/,
 * which `npm test` builds first: after changing the worker's code, run `npm run build` before the tests.
 */
function workerScript(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../../../dist/verification/pool/verifier-worker.js', import.meta.url)
    : new URL('./verifier-worker.js', import.meta.url)
}

/** What a thread reports to its pool. */
export interface VerifierThreadEvents {
  onVerdicts(thread: VerifierThread, id: number, json: string): void
  /** The thread is gone; `cause` is its uncaught error, or the exit code when it had none. */
  onExit(thread: VerifierThread, cause: unknown): void
}

/**
 * One worker thread of a `VerifierPool` and the ids of the batches it holds.
 *
 * @example
 * ```ts
 * const thread = new VerifierThread(setup, { onVerdicts: release, onExit: replace })
 * await thread.started()
 * thread.post(packBatch(1, Date.now(), [topicFrame, envelopeFrame]))
 * ```
 */
export class VerifierThread {
  /** Batches posted and not answered yet. */
  readonly inFlight = new Set<number>()
  readonly #worker: Worker
  readonly #started: Promise<void>
  #ready = false
  #error: unknown

  constructor(setup: WorkerSetup, events: VerifierThreadEvents) {
    this.#worker = new Worker(workerScript(), { workerData: setup, name: 'fedmsg-verifier' })
    let markReady: () => void = () => undefined
    let markFailed: (cause: unknown) => void = () => undefined
    this.#started = new Promise<void>((resolve, reject) => {
      markReady = resolve
      markFailed = reject
    })
    // Nobody awaits a replacement's start; its failure is reported through onExit.
    this.#started.catch(() => undefined)
    this.#worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        this.#ready = true
        markReady()
        return
      }
      this.inFlight.delete(message.id)
      events.onVerdicts(this, message.id, message.json)
    })
    this.#worker.on('error', (error) => (this.#error = error))
    this.#worker.on('messageerror', (error) => {
      this.#error = error
      void this.#worker.terminate()
    })
    this.#worker.on('exit', (code) => {
      const cause = this.#error ?? new Error(`verifier worker thread exited with code ${code}`)
      markFailed(cause)
      events.onExit(this, cause)
    })
  }

  /** True once the thread has built its verifier. */
  get ready(): boolean {
    return this.#ready
  }

  /** Resolves once the thread has built its verifier; rejects when it exits first. */
  started(): Promise<void> {
    return this.#started
  }

  /** Hands a batch over; its buffers move to the thread (they are unusable here afterwards). */
  post(request: VerifyRequest): void {
    this.inFlight.add(request.id)
    this.#worker.postMessage(request, [request.bytes, request.lengths])
  }

  setCrls(crls: readonly Uint8Array[]): void {
    this.#worker.postMessage({ type: 'crls', crls } satisfies CrlUpdate)
  }

  async terminate(): Promise<void> {
    await this.#worker.terminate()
  }
}
