// @ts-check
/**
 * sign: `EnvelopeSigner.sign` (checks, canonicalize, sign, serialize, self-check) against a bare `crypto.sign`
 * of the same signing input with the same key. Goal: ratio >= 0.8.
 */
import { sign } from 'node:crypto'
import { ALGORITHMS } from '../dist/crypto/algorithms.js'
import { compare } from './lib/measure.js'
import { signedParts } from './lib/envelopes.js'
import { PAYLOADS } from './lib/payloads.js'
import { ALGS, pkiFor } from './lib/pki.js'
import { rowOf } from './lib/row.js'

/** @type {import('./lib/row.js').Benchmark} */
export default {
  name: 'sign',
  async run(context) {
    for (const alg of ALGS) {
      const pki = await pkiFor(alg)
      const { digest, keyOptions } = ALGORITHMS[alg]
      const key = { key: pki.leaf.privateKey, ...keyOptions }
      for (const payload of PAYLOADS) {
        const input = { topic: payload.topic, msg: payload.msg, i: 1 }
        const { signingInput } = signedParts(pki.leaf.signer.sign(input).frame)
        const figure = {
          /** @param {number} count */
          run(count) {
            for (let n = 0; n < count; n++) pki.leaf.signer.sign(input)
          },
        }
        const baseline = {
          /** @param {number} count */
          run(count) {
            for (let n = 0; n < count; n++) sign(digest, signingInput, key)
          },
        }
        context.report(
          rowOf(
            {
              figure: 'sign',
              alg,
              payload: payload.name,
              baselineName: 'crypto.sign',
              // Issue 18 item 1: 0.8 at 100 B and 1 KB, 0.5 at 64 KB.
              goal: payload.name === '64 KB' ? 0.5 : 0.8,
            },
            compare(figure, baseline, context.timing),
          ),
        )
      }
    }
  },
}
