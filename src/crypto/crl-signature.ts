import { constants, verify, type KeyObject } from 'node:crypto'

/** What a CRL's signature covers and how it was made (RFC 5280 §5.1.1.2, §5.1.1.3). */
export interface SignedCrlPart {
  /** DER of tbsCertList, exactly as received. */
  readonly tbs: Uint8Array
  readonly signature: Uint8Array
  /** The signature algorithm in WebCrypto form, as @peculiar/x509 reads it from the AlgorithmIdentifier. */
  readonly algorithm: Algorithm & { hash?: Algorithm; saltLength?: number }
}

interface NodeParams {
  readonly digest: string | null
  readonly options: { dsaEncoding?: 'der'; padding?: number; saltLength?: number }
}

// SHA-1 is left out on purpose: a CRL signed with it does not count (RFC 9155 deprecates it for signatures).
const DIGESTS: Readonly<Record<string, string>> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
}

function withDigest(
  algorithm: SignedCrlPart['algorithm'],
  options: NodeParams['options'],
): NodeParams | undefined {
  const digest = DIGESTS[algorithm.hash?.name ?? '']
  return digest === undefined ? undefined : { digest, options }
}

// RFC 8410 §6 (Ed25519; @peculiar/x509 calls Ed448 "EdDSA"), RFC 5758 §3.2 (ECDSA, DER Ecdsa-Sig-Value),
// RFC 4055 §5 (PKCS #1 v1.5), RFC 4055 §3.1 (RSASSA-PSS; OpenSSL uses the message digest for MGF1, so a CRL
// declaring another MGF1 hash fails verification).
function nodeParamsFor(algorithm: SignedCrlPart['algorithm']): NodeParams | undefined {
  switch (algorithm.name) {
    case 'Ed25519':
    case 'EdDSA':
      return { digest: null, options: {} }
    case 'ECDSA':
      return withDigest(algorithm, { dsaEncoding: 'der' })
    case 'RSASSA-PKCS1-v1_5':
      return withDigest(algorithm, { padding: constants.RSA_PKCS1_PADDING })
    case 'RSA-PSS':
      return withDigest(algorithm, {
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: algorithm.saltLength,
      })
    default:
      return undefined
  }
}

/**
 * True when the CRL's signature verifies under `issuerKey` with OpenSSL. Never throws: an unsupported
 * algorithm, a key of the wrong type or a bad signature are all `false`, and the caller picks the reason.
 *
 * @example
 * ```ts
 * verifyCrlSignature(parsedCrl, issuerCertificate.publicKey) // boolean
 * ```
 */
export function verifyCrlSignature(crl: SignedCrlPart, issuerKey: KeyObject): boolean {
  const params = nodeParamsFor(crl.algorithm)
  if (params === undefined) return false
  try {
    return verify(params.digest, crl.tbs, { key: issuerKey, ...params.options }, crl.signature)
  } catch {
    return false
  }
}
