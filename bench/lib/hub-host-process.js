// @ts-check
/**
 * Child process: a hub whose memory is measured, alone in its process so that its RSS is its own. Its one
 * consumer takes `delayMs` per message (an `await`, as a consumer doing I/O would), so it can be made slower
 * than the input; its verifier is configured as a consumer's (anchor and CRLs, other options default) and
 * reports its cache sizes.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createHub, DEFAULT_CONFIG, EnvelopeVerifier } from '../../dist/index.js'
import { initReplayJournal } from '../../dist/replay-journal/init-replay-journal.js'
import { serveParent } from './child-process.js'

/** RSS is sampled this often for the peak. */
const SAMPLE_MS = 50

/** @type {import('../../dist/index.js').Hub | undefined} */
let hub
/** @type {EnvelopeVerifier | undefined} */
let verifier
let delayMs = 0
let peakRss = 0
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}, SAMPLE_MS)

/**
 * Heap and RSS after a full garbage collection, when this process runs with --expose-gc: what the hub really
 * keeps, as opposed to garbage V8 has not collected yet. Taken after the plain reading, which it would change.
 */
function collected() {
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc
  if (gc === undefined) throw new Error('hub-host-process.js needs node --expose-gc')
  gc()
  const { rss, heapUsed, external } = process.memoryUsage()
  return { rssAfterGc: rss, heapAfterGc: heapUsed, externalAfterGc: external }
}

serveParent({
  async start(/** @type {{ anchor: Uint8Array, crls: Uint8Array[], connect: string }} */ args) {
    verifier = new EnvelopeVerifier({ trustAnchors: [args.anchor], crls: args.crls })
    // Initialised as `fedmsg hub --init-state` does, so the first clock skew of traffic is not refused.
    const stateDir = mkdtempSync(join(tmpdir(), 'fedmsg-bench-state-'))
    initReplayJournal(join(stateDir, 'hub'))
    hub = await createHub({
      stateDir,
      config: { ...DEFAULT_CONFIG, linger_ms: 0, heartbeat_interval_ms: 3_600_000 },
      verifier,
      connect: [args.connect],
      consumers: [
        {
          name: 'slow',
          topic: `${DEFAULT_CONFIG.topic_prefix}.>`,
          async consume() {
            if (delayMs > 0) await sleep(delayMs)
          },
        },
      ],
    })
  },
  /** Sets the consumer's time per message. */
  slowDown(/** @type {{ delayMs: number }} */ args) {
    delayMs = args.delayMs
  },
  /** Messages the hub has read so far. */
  received() {
    return hub?.stats().received ?? 0
  },
  /** RSS now and its peak since the last sample, the hub's counters and the verifier's cache sizes. */
  sample() {
    if (hub === undefined || verifier === undefined) throw new Error('call start first')
    const { rss, heapTotal, heapUsed, external } = process.memoryUsage()
    const peak = Math.max(peakRss, rss)
    peakRss = 0
    const stats = hub.stats()
    const rejected = Object.fromEntries(Object.entries(stats.rejected).filter(([, n]) => n > 0))
    return {
      rss,
      peakRss: peak,
      heapTotal,
      heapUsed,
      external,
      ...collected(),
      received: stats.received,
      verified: stats.verified,
      rejected,
      consumer: stats.consumers.slow,
      caches: verifier.cacheSizes(),
    }
  },
  async close() {
    clearInterval(sampler)
    await hub?.close()
  },
})
