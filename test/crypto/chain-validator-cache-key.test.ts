/**
 * The verdict cache picks a candidate by a cheap key (each certificate's length and last bytes) and uses it
 * only for a byte-identical x5c (src/crypto/chain/chain-validator.ts). A chain built to share the key must be
 * judged in full, and must not disturb the remembered one.
 */
import { X509Certificate as NodeCertificate } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ChainValidator } from '../../src/crypto/chain/chain-validator.js'
import { makePki, type Pki } from '../fixtures/pki.js'
import { instant, reasonOf } from './chain-check.js'

let pki: Pki
beforeAll(async () => {
  pki = await makePki('es256')
})

afterEach(() => {
  vi.restoreAllMocks()
})

/** The leaf with its subject CN "bodhi" changed to "bodhj": same length and same last bytes. */
function leafWithSameKey(): Buffer {
  const der = Buffer.from(pki.leaf.der)
  const at = der.indexOf('bodhi')
  expect(at).toBeGreaterThan(0)
  der[at + 4] = 'j'.charCodeAt(0)
  return der
}

describe('verdict cache key', () => {
  it('a chain sharing the key of a remembered chain is judged in full and refused', () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors })
    validator.validate(pki.chain, instant())
    const spy = vi.spyOn(NodeCertificate.prototype, 'verify')
    const lookalike = [leafWithSameKey(), pki.intermediate.der]
    expect(reasonOf(() => validator.validate(lookalike, instant()))).toBe('untrusted_chain')
    expect(spy.mock.calls.length).toBeGreaterThan(0)
  })

  it('the remembered chain stays remembered and keeps its signer after a lookalike', () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors })
    validator.validate(pki.chain, instant())
    reasonOf(() => validator.validate([leafWithSameKey(), pki.intermediate.der], instant()))
    const spy = vi.spyOn(NodeCertificate.prototype, 'verify')
    expect(validator.validate(pki.chain, instant()).signer.name).toBe('bodhi')
    expect(spy).not.toHaveBeenCalled()
  })

  it('a remembered chain is not served for the same certificates in a caller buffer reused later', () => {
    const validator = new ChainValidator({ trustAnchors: pki.anchors })
    const reused = [Buffer.from(pki.leaf.der), Buffer.from(pki.intermediate.der)]
    validator.validate(reused, instant())
    reused[0]!.set(leafWithSameKey())
    expect(reasonOf(() => validator.validate(reused, instant()))).toBe('untrusted_chain')
  })
})
