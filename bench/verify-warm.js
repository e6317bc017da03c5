// @ts-check
/**
 * verify warm: `EnvelopeVerifier.verify` of envelopes from one signer, whose chain is in the verifier's cache
 * (a consumer's steady state), against a bare `crypto.verify` of the same signatures. Every envelope has its
 * own msg_id and each is verified once per verifier, so the replay check passes as in real traffic: when the
 * pool is used up a fresh verifier takes over, untimed, and is warmed with one envelope outside the pool.
 * Goal: ratio >= 0.8 for ES256 and EdDSA.
 */
import { bareVerifier, consumerVerifier, mustAccept, signPool } from './lib/envelopes.js'
import { compare, cycle } from './lib/measure.js'
import { PAYLOADS } from './lib/payloads.js'
import { ALGS, pkiFor } from './lib/pki.js'
import { rowOf } from './lib/row.js'

/** @type {Readonly<Record<import('./lib/payloads.js').Payload['name'], number>>} */
const POOL = { '100 B': 2048, '1 KB': 2048, '64 KB': 512 }
const QUICK_POOL = 128

// Issue 18 item 1: 0.85 at 100 B and 1 KB, 0.5 at 64 KB, for ES256 and EdDSA.
const GOAL_ALGS = new Set(['ES256', 'EdDSA'])
/** @param {string} payload */
const goalFor = (payload) => (payload === '64 KB' ? 0.5 : 0.85)

/** @type {import('./lib/row.js').Benchmark} */
export default {
  name: 'verify-warm',
  async run(context) {
    for (const alg of ALGS) {
      const pki = await pkiFor(alg)
      const bare = bareVerifier(alg)
      for (const payload of PAYLOADS) {
        const count = context.quick ? QUICK_POOL : POOL[payload.name]
        const [warmup, ...pool] = signPool([pki.leaf], payload, count + 1)
        let verifier = consumerVerifier(pki)
        const figure = cycle(
          count,
          (n) => mustAccept(verifier.verify(pool[n].topicFrame, pool[n].frame)),
          () => {
            verifier = consumerVerifier(pki)
            mustAccept(verifier.verify(warmup.topicFrame, warmup.frame))
          },
        )
        const baseline = cycle(count, (n) => bare(pool[n]))
        const what = {
          figure: 'verify warm',
          alg,
          payload: payload.name,
          baselineName: 'crypto.verify',
        }
        const goal = GOAL_ALGS.has(alg) ? goalFor(payload.name) : undefined
        context.report(
          rowOf(
            goal === undefined ? what : { ...what, goal },
            compare(figure, baseline, context.timing),
          ),
        )
      }
    }
  },
}
