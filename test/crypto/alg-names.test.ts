import { describe, expect, it } from 'vitest'
import { ALL_ALGS, isAlg } from '../../src/crypto/alg-names.js'
import { ALGORITHMS } from '../../src/crypto/algorithms.js'
import { WEBCRYPTO_ALGORITHMS } from '../../src/browser/webcrypto-algorithms.js'

describe('the algorithm list shared with the browser verifier', () => {
  it('names exactly the algorithms of the Node table and of the WebCrypto table, in table order', () => {
    expect(ALL_ALGS).toEqual(Object.keys(ALGORITHMS))
    expect(ALL_ALGS).toEqual(Object.keys(WEBCRYPTO_ALGORITHMS))
  })

  it('isAlg accepts the four and nothing else', () => {
    expect(ALL_ALGS.every(isAlg)).toBe(true)
    expect(['none', 'HS256', 'es256', '', undefined].some(isAlg)).toBe(false)
  })
})
