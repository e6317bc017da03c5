import { sign, verify, type KeyObject } from 'node:crypto'
import { ALGORITHMS } from './algorithms.js'
import type { Alg } from './envelope/verified-message.js'

/**
 * Signs `data` with `alg`. The only call of `crypto.sign` in fedmsg; throws what node:crypto throws when the
 * key does not fit (callers check with `describeAlgMismatch` first).
 *
 * @example
 * ```ts
 * const signature = signBytes('EdDSA', privateKey, signingInput)
 * ```
 */
export function signBytes(alg: Alg, privateKey: KeyObject, data: Uint8Array): Buffer {
  const spec = ALGORITHMS[alg]
  return sign(spec.digest, data, { key: privateKey, ...spec.keyOptions })
}

/**
 * True when `signature` is a valid `alg` signature of `data` under `publicKey`. The only call of
 * `crypto.verify` in fedmsg. Never throws: any failure (a length other than the algorithm's, or than the RSA
 * modulus' for PS256 and RS256, a DER signature where P1363 is required,
 * an OpenSSL error) is `false`, and the caller picks the reason.
 *
 * @example
 * ```ts
 * verifyBytes('ES256', leafKey, signingInput, signature) // boolean
 * ```
 */
export function verifyBytes(
  alg: Alg,
  publicKey: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const spec = ALGORITHMS[alg]
  if (signature.length !== signatureBytesOf(spec.signatureBytes, publicKey)) return false
  try {
    return verify(spec.digest, data, { key: publicKey, ...spec.keyOptions }, signature)
  } catch {
    return false
  }
}

// RFC 8017 §8.1.2 and §8.2.2, step 1: an RSA signature is exactly k octets, k the modulus length in octets.
// OpenSSL refuses other lengths for PKCS #1 v1.5 but takes a PSS signature with a leading zero octet left out.
function signatureBytesOf(fixed: number | undefined, publicKey: KeyObject): number {
  return fixed ?? Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8)
}
