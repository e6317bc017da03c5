import { constants, type KeyObject } from 'node:crypto'
import { Rejection } from '../errors.js'
import type { Alg } from './envelope/verified-message.js'
import { ALL_ALGS, isAlg } from './alg-names.js'

/** Everything about one signature algorithm, in one place (docs/protocol.md §3). */
export interface AlgorithmSpec {
  /** Digest for `crypto.sign`/`crypto.verify`; null for Ed25519, which hashes internally (RFC 8032). */
  readonly digest: 'sha256' | null
  /** `KeyObject.asymmetricKeyType` the key must have. */
  readonly keyType: 'ec' | 'ed25519' | 'rsa'
  /** EC only: the OpenSSL name of the one curve allowed. */
  readonly namedCurve?: 'prime256v1'
  /** RSA only: the smallest modulus allowed, in bits. */
  readonly minRsaBits?: number
  /** Exact signature length in bytes, where the algorithm fixes it. */
  readonly signatureBytes?: number
  /** Extra key options for `crypto.sign`/`crypto.verify`. */
  readonly keyOptions: {
    readonly dsaEncoding?: 'ieee-p1363'
    readonly padding?: number
    readonly saltLength?: number
  }
}

const MIN_RSA_BITS = 2048

/** The one algorithm table. There is no `none`: an alg outside this table cannot be expressed. */
export const ALGORITHMS: Readonly<Record<Alg, AlgorithmSpec>> = Object.freeze({
  // ECDSA P-256 SHA-256; IEEE P1363 r || s, as JWS (RFC 7518 §3.4), not DER.
  ES256: {
    digest: 'sha256',
    keyType: 'ec',
    namedCurve: 'prime256v1',
    signatureBytes: 64,
    keyOptions: { dsaEncoding: 'ieee-p1363' },
  },
  // Pure Ed25519 (RFC 8032 §5.1).
  EdDSA: { digest: null, keyType: 'ed25519', signatureBytes: 64, keyOptions: {} },
  // RSASSA-PSS, SHA-256, MGF1-SHA-256 (OpenSSL uses the message digest for MGF1), salt 32 (RFC 7518 §3.5).
  PS256: {
    digest: 'sha256',
    keyType: 'rsa',
    minRsaBits: MIN_RSA_BITS,
    keyOptions: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
  },
  // RSASSA-PKCS1-v1_5 SHA-256 (RFC 7518 §3.3).
  RS256: {
    digest: 'sha256',
    keyType: 'rsa',
    minRsaBits: MIN_RSA_BITS,
    keyOptions: { padding: constants.RSA_PKCS1_PADDING },
  },
})

export { ALL_ALGS, isAlg }

/**
 * Why `key` cannot sign or verify with `alg`, or undefined when it can.
 *
 * @example
 * ```ts
 * describeAlgMismatch('ES256', ed25519PublicKey) // 'ES256 needs an ec key, got ed25519'
 * ```
 */
export function describeAlgMismatch(alg: Alg, key: KeyObject): string | undefined {
  const spec = ALGORITHMS[alg]
  if (key.asymmetricKeyType !== spec.keyType) {
    return `${alg} needs an ${spec.keyType} key, got ${key.type === 'secret' ? 'a secret key' : key.asymmetricKeyType}`
  }
  const details = key.asymmetricKeyDetails
  if (spec.namedCurve !== undefined && details?.namedCurve !== spec.namedCurve) {
    return `${alg} needs curve P-256 (${spec.namedCurve}), got ${details?.namedCurve}`
  }
  if (spec.minRsaBits !== undefined && (details?.modulusLength ?? 0) < spec.minRsaBits) {
    return `${alg} needs an RSA modulus of at least ${spec.minRsaBits} bits, got ${details?.modulusLength}`
  }
  return undefined
}

/**
 * Throws `Rejection('alg_mismatch')` when the leaf key does not fit `alg`: wrong key type, an EC curve other
 * than P-256, or an RSA modulus under 2048 bits (docs/protocol.md §3, check 9).
 *
 * @example
 * ```ts
 * assertAlgFitsKey('EdDSA', leafKey) // returns, or throws Rejection('alg_mismatch')
 * ```
 */
export function assertAlgFitsKey(alg: Alg, key: KeyObject): void {
  const mismatch = describeAlgMismatch(alg, key)
  if (mismatch !== undefined) throw new Rejection('alg_mismatch', mismatch)
}

/**
 * The algorithm a signer uses by default for `key`: ES256 for P-256, EdDSA for Ed25519, PS256 for RSA.
 * Undefined when fedmsg/1 cannot sign with the key.
 *
 * @example
 * ```ts
 * defaultAlgFor(rsaPrivateKey) // 'PS256'
 * ```
 */
export function defaultAlgFor(key: KeyObject): Alg | undefined {
  const byKeyType: Readonly<Record<string, Alg>> = { ec: 'ES256', ed25519: 'EdDSA', rsa: 'PS256' }
  const candidate = byKeyType[key.asymmetricKeyType ?? '']
  if (candidate === undefined || describeAlgMismatch(candidate, key) !== undefined) return undefined
  return candidate
}
