/**
 * Entry point of a `VerifierPool` worker thread: builds one `EnvelopeVerifier` from `workerData` and answers
 * each batch with its verdicts, in order. Every check but replay runs here; the pool's main thread holds the
 * one replay cache and records accepted msg_ids in submission order.
 */
import { parentPort, workerData } from 'node:worker_threads'
import {
  buildWorkerVerifier,
  verifyBatch,
  type FromWorker,
  type ToWorker,
  type WorkerSetup,
} from './verifier-pool-protocol.js'

const port = parentPort
if (port === null) throw new TypeError('verifier-worker.js runs as a worker thread of VerifierPool')

// The clock of the batch being verified: the main thread read it when it sent the batch, so verdicts do not
// depend on when this thread got to it, and an injected clock works the same as inline.
let batchNow = 0
const verifier = buildWorkerVerifier(workerData as WorkerSetup, () => batchNow)

port.on('message', (message: ToWorker) => {
  if (message.type === 'crls') {
    verifier.setCrls(message.crls)
    return
  }
  batchNow = message.now
  const answer: FromWorker = {
    type: 'verdicts',
    id: message.id,
    json: verifyBatch(verifier, message),
  }
  port.postMessage(answer)
})
port.postMessage({ type: 'ready' } satisfies FromWorker)
