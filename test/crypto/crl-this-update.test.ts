/**
 * Fixed bug: a CRL whose thisUpdate is in the future was used as current revocation information. OpenSSL
 * refuses such a CRL (X509_V_ERR_CRL_NOT_YET_VALID); fedmsg now counts a CRL as current only from thisUpdate to
 * nextUpdate, both inclusive, so an issuer whose only CRL is not yet valid gets `crl_unavailable` (vector
 * crl_unavailable_this_update_future_fail). Like a CRL past its nextUpdate, it still proves a revocation.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { crlOf, DAY, makePki, type Pki } from '../fixtures/pki.js'
import { check, instant } from './chain-check.js'

let pki: Pki
// CRL times are whole seconds (UTCTime): a round instant a day ahead, so both edges can be tried to the ms.
const THIS_UPDATE = Math.floor((Date.now() + DAY) / 1000) * 1000
let future: Uint8Array
beforeAll(async () => {
  pki = await makePki('es256')
  future = await crlOf(pki.intermediate, [], {
    thisUpdate: new Date(THIS_UPDATE),
    nextUpdate: new Date(THIS_UPDATE + 7 * DAY),
  })
})

const chainWith = (crls: readonly Uint8Array[]) => ({
  leaf: pki.leaf,
  x5c: pki.chain,
  anchors: pki.anchors,
  crls,
})

describe('a CRL whose thisUpdate is in the future', () => {
  it('bug: a CRL issued in the future was used (OpenSSL refuses it) → crl_unavailable', () => {
    expect(check(chainWith([pki.rootCrl, future]))).toBe('crl_unavailable')
  })

  it('is current from thisUpdate exactly: 1 ms before → crl_unavailable, at thisUpdate → accepted', () => {
    const crls = [pki.rootCrl, future]
    expect(check(chainWith(crls), {}, instant(THIS_UPDATE - 1))).toBe('crl_unavailable')
    expect(check(chainWith(crls), {}, instant(THIS_UPDATE))).toBe('accepted')
  })

  it('does no harm next to a current CRL of the same issuer', () => {
    expect(check(chainWith([pki.rootCrl, future, pki.intermediateCrl]))).toBe('accepted')
  })

  it('still proves a revocation: revoked before crl_unavailable', async () => {
    const revoking = await crlOf(pki.intermediate, [pki.leaf], {
      thisUpdate: new Date(THIS_UPDATE),
      nextUpdate: new Date(THIS_UPDATE + 7 * DAY),
    })
    expect(check(chainWith([pki.rootCrl, revoking]))).toBe('revoked')
  })
})
