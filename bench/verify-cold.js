// @ts-check
/**
 * verify cold: `EnvelopeVerifier.verify` where every envelope comes from a signer whose chain the verifier has
 * not seen (a new leaf certificate each time, all under the same intermediate), so each message pays for
 * parsing and checking its whole chain. Read against the same baseline as the warm figure: a bare
 * `crypto.verify` of the same signatures. Goal (issue 18): >= 0.25; it shows what a first message from a service
 * costs.
 */
import { bareVerifier, consumerVerifier, mustAccept, signPool } from './lib/envelopes.js'
import { compare, cycle } from './lib/measure.js'
import { PAYLOADS } from './lib/payloads.js'
import { ALGS, distinctLeaves, pkiFor } from './lib/pki.js'
import { rowOf } from './lib/row.js'

const LEAVES = 300
const QUICK_LEAVES = 48
const GOAL = 0.25

/** @type {import('./lib/row.js').Benchmark} */
export default {
  name: 'verify-cold',
  async run(context) {
    for (const alg of ALGS) {
      const pki = await pkiFor(alg)
      const leaves = await distinctLeaves(pki, context.quick ? QUICK_LEAVES : LEAVES)
      const bare = bareVerifier(alg)
      for (const payload of PAYLOADS) {
        const pool = signPool(leaves, payload, leaves.length)
        let verifier = consumerVerifier(pki)
        // A fresh verifier per pass over the pool: its chain cache is empty, so every chain is new to it.
        const figure = cycle(
          pool.length,
          (n) => mustAccept(verifier.verify(pool[n].topicFrame, pool[n].frame)),
          () => {
            verifier = consumerVerifier(pki)
          },
        )
        const baseline = cycle(pool.length, (n) => bare(pool[n]))
        const what = {
          figure: 'verify cold',
          alg,
          payload: payload.name,
          baselineName: 'crypto.verify',
          goal: GOAL,
        }
        context.report(rowOf(what, compare(figure, baseline, context.timing)))
      }
    }
  },
}
