import { verify, type KeyObject } from 'node:crypto'
import type { SignatureParams } from '../chain/signature-algorithms.js'

/** What a CRL's signature covers and how it was made (RFC 5280 §5.1.1.2, §5.1.1.3). */
export interface SignedCrlPart {
  /** DER of tbsCertList, exactly as received. */
  readonly tbs: Uint8Array
  readonly signature: Uint8Array
  /**
   * How to verify it, from `allowedSignatureParams`: undefined when the CRL's algorithm is not on the allowlist
   * of docs/protocol.md §4.5 or its two algorithm fields differ. Such a CRL never verifies.
   */
  readonly algorithm: SignatureParams | undefined
}

/**
 * True when the CRL's signature verifies under `issuerKey` with OpenSSL. Never throws: an algorithm off the
 * allowlist, a key of the wrong type or a bad signature are all `false`, and the caller picks the reason.
 *
 * @example
 * ```ts
 * verifyCrlSignature(parsedCrl, issuerCertificate.publicKey) // boolean
 * ```
 */
export function verifyCrlSignature(crl: SignedCrlPart, issuerKey: KeyObject): boolean {
  const params = crl.algorithm
  if (params === undefined) return false
  try {
    return verify(params.digest, crl.tbs, { key: issuerKey, ...params.options }, crl.signature)
  } catch {
    return false
  }
}
