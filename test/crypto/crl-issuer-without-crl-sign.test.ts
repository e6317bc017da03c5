/**
 * Fixed bug: a CRL signed by an issuer whose keyUsage lacks cRLSign was accepted as revocation information.
 * RFC 5280 §6.3.3 (f) says such an issuer's CRLs must not be used; the CRL now names the issuer without
 * covering it, so the issuer's certificates get `crl_unavailable` (vector
 * crl_unavailable_issuer_without_crl_sign_fail).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { x509 } from '../../src/crypto/x509.js'
import { intermediateWith } from '../fixtures/issue-certificates.js'
import { crlOf, makePki, type Issued, type Pki } from '../fixtures/pki.js'
import { check } from './chain-check.js'

const { keyCertSign, cRLSign } = x509.KeyUsageFlags

let pki: Pki
let withoutCrlSign: Issued
beforeAll(async () => {
  pki = await makePki('es256')
  withoutCrlSign = await intermediateWith(pki, { keyUsage: keyCertSign })
})

const chainUnder = (intermediate: Issued, crls: readonly Uint8Array[]) => ({
  leaf: pki.leaf,
  x5c: [pki.leaf.der, intermediate.der],
  anchors: pki.anchors,
  crls,
})

describe('a CRL issuer without keyUsage cRLSign', () => {
  it('does not cover its certificates: crl_unavailable', () => {
    expect(check(chainUnder(withoutCrlSign, pki.crls))).toBe('crl_unavailable')
  })

  it('cannot revoke either: its CRL listing the leaf gives crl_unavailable, not revoked', async () => {
    const listingLeaf = await crlOf(pki.intermediate, [pki.leaf])
    expect(check(chainUnder(withoutCrlSign, [pki.rootCrl, listingLeaf]))).toBe('crl_unavailable')
  })

  it('is fine with cRLSign, or without any keyUsage (RFC 5280 §4.2.1.3: unrestricted)', async () => {
    const withCrlSign = await intermediateWith(pki, { keyUsage: keyCertSign | cRLSign })
    const withoutKeyUsage = await intermediateWith(pki, { keyUsage: undefined })
    expect(check(chainUnder(withCrlSign, pki.crls))).toBe('accepted')
    expect(check(chainUnder(withoutKeyUsage, pki.crls))).toBe('accepted')
  })
})
