import { Rejection } from '../errors.js'
import type { Alg } from '../crypto/envelope/verified-message.js'

/** WebCrypto's spelling of each fedmsg/1 algorithm (docs/protocol.md §3); the same four as the Node table. */
interface WebCryptoSpec {
  readonly importParams: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams
  readonly verifyParams: AlgorithmIdentifier | EcdsaParams | RsaPssParams
  /** The SPKI algorithm OID the leaf key must have. */
  readonly keyOid: string
  readonly signatureBytes?: number
}

const RSA_OID = '1.2.840.113549.1.1.1'
const MIN_RSA_BITS = 2048

export const WEBCRYPTO_ALGORITHMS: Readonly<Record<Alg, WebCryptoSpec>> = Object.freeze({
  // IEEE P1363 r || s, which is also WebCrypto's ECDSA signature format.
  ES256: {
    importParams: { name: 'ECDSA', namedCurve: 'P-256' },
    verifyParams: { name: 'ECDSA', hash: 'SHA-256' },
    keyOid: '1.2.840.10045.2.1',
    signatureBytes: 64,
  },
  EdDSA: {
    importParams: { name: 'Ed25519' },
    verifyParams: { name: 'Ed25519' },
    keyOid: '1.3.101.112',
    signatureBytes: 64,
  },
  PS256: {
    importParams: { name: 'RSA-PSS', hash: 'SHA-256' },
    verifyParams: { name: 'RSA-PSS', saltLength: 32 },
    keyOid: RSA_OID,
  },
  RS256: {
    importParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    verifyParams: { name: 'RSASSA-PKCS1-v1_5' },
    keyOid: RSA_OID,
  },
})

/** The facts about a leaf key the algorithm check needs, read from its certificate. */
export interface LeafKeyInfo {
  readonly spki: ArrayBuffer
  readonly oid: string
  /** EC only: the named curve OID. */
  readonly curveOid?: string
  /** RSA only. */
  readonly modulusBits?: number
}

const P256_OID = '1.2.840.10045.3.1.7'

/**
 * Check 9 of docs/protocol.md §5: the leaf key must fit `alg` (type, P-256, RSA ≥ 2048 bits), then imports it
 * into WebCrypto. Throws `Rejection('alg_mismatch')`.
 */
export async function importLeafKey(alg: Alg, key: LeafKeyInfo): Promise<CryptoKey> {
  const spec = WEBCRYPTO_ALGORITHMS[alg]
  if (key.oid !== spec.keyOid) {
    throw new Rejection('alg_mismatch', `${alg} does not fit a key of algorithm ${key.oid}`)
  }
  if (alg === 'ES256' && key.curveOid !== P256_OID) {
    throw new Rejection('alg_mismatch', `ES256 needs curve P-256, got ${key.curveOid}`)
  }
  if (spec.keyOid === RSA_OID && (key.modulusBits ?? 0) < MIN_RSA_BITS) {
    throw new Rejection(
      'alg_mismatch',
      `${alg} needs an RSA modulus of at least ${MIN_RSA_BITS} bits, got ${key.modulusBits}`,
    )
  }
  try {
    return await crypto.subtle.importKey('spki', key.spki, spec.importParams, false, ['verify'])
  } catch (error) {
    throw new Rejection('alg_mismatch', `the leaf key cannot be used for ${alg}: ${String(error)}`)
  }
}

/** True when `signature` verifies; any failure, a wrong length included (RFC 8017 §8.1.2), is false. */
export async function verifySignature(
  alg: Alg,
  key: CryptoKey,
  key_bits: number | undefined,
  data: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const spec = WEBCRYPTO_ALGORITHMS[alg]
  const expected = spec.signatureBytes ?? Math.ceil((key_bits ?? 0) / 8)
  if (signature.length !== expected) return false
  try {
    return await crypto.subtle.verify(spec.verifyParams, key, signature, data)
  } catch {
    return false
  }
}
