// @ts-check
/**
 * wire: what the envelope adds to a message body on the wire, per algorithm and chain length. The figure is
 * the envelope frame's size, the baseline the body's (its JCS form, which the envelope carries verbatim), so
 * the overhead does not depend on the body and is given once, for the 1 KB body.
 */
import { PAYLOADS } from './lib/payloads.js'
import { ALGS, pkiFor } from './lib/pki.js'

/** @type {import('./lib/row.js').Benchmark} */
export default {
  name: 'wire',
  async run(context) {
    const payload = PAYLOADS.find((p) => p.name === '1 KB')
    if (payload === undefined) throw new Error('no 1 KB payload')
    for (const alg of ALGS) {
      const pki = await pkiFor(alg)
      for (const [chain, leaf] of /** @type {const} */ ([
        [1, pki.directLeaf],
        [2, pki.leaf],
      ])) {
        const { frame } = leaf.signer.sign({ topic: payload.topic, msg: payload.msg, i: 1 })
        context.report({
          figure: `wire x5c=${chain}`,
          alg,
          payload: payload.name,
          unit: 'B',
          value: frame.length,
          baselineName: 'body',
          baseline: payload.bytes,
          ratio: frame.length / payload.bytes,
          note: `overhead ${frame.length - payload.bytes} B`,
        })
      }
    }
  },
}
