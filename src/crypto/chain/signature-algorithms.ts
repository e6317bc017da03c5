import { constants } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import {
  id_mgf1,
  id_RSASSA_PSS,
  id_sha256,
  id_sha256WithRSAEncryption,
  id_sha384,
  id_sha384WithRSAEncryption,
  id_sha512,
  id_sha512WithRSAEncryption,
  RsaSaPssParams,
} from '@peculiar/asn1-rsa'
import { AlgorithmIdentifier } from '@peculiar/asn1-x509'

/** How node:crypto verifies a signature made with an allowed algorithm. */
export interface SignatureParams {
  /** The allowlist's name for the algorithm, for details. */
  readonly name: string
  /** null for EdDSA, which hashes internally. */
  readonly digest: 'sha256' | 'sha384' | 'sha512' | null
  readonly options: {
    readonly dsaEncoding?: 'der'
    readonly padding?: number
    readonly saltLength?: number
  }
}

/** What an AlgorithmIdentifier's `parameters` may be (RFC 5758 §3.2, RFC 8410 §3, RFC 4055 §5). */
type ParameterRule = 'absent' | 'null-or-absent'

const DIGEST_BY_HASH_OID: ReadonlyMap<string, 'sha256' | 'sha384' | 'sha512'> = new Map([
  [id_sha256, 'sha256'],
  [id_sha384, 'sha384'],
  [id_sha512, 'sha512'],
])

const ecdsa = (digest: 'sha256' | 'sha384' | 'sha512'): SignatureParams => ({
  name: `ecdsa-with-${digest.toUpperCase()}`,
  digest,
  options: { dsaEncoding: 'der' },
})
const pkcs1 = (digest: 'sha256' | 'sha384' | 'sha512'): SignatureParams => ({
  name: `${digest}WithRSAEncryption`,
  digest,
  options: { padding: constants.RSA_PKCS1_PADDING },
})

/**
 * The one allowlist of signature algorithms for certificates and CRLs (docs/protocol.md §4.5), by OID, with
 * what the parameters may be. RSASSA-PSS, whose parameters say the hash, is handled apart. SHA-1, MD5 and
 * every other algorithm are refused: chosen-prefix SHA-1 collisions are practical, so a CA's SHA-1 signature
 * does not prove that it signed this certificate.
 */
const FIXED_ALGORITHMS: ReadonlyMap<string, [SignatureParams, ParameterRule]> = new Map([
  ['1.2.840.10045.4.3.2', [ecdsa('sha256'), 'absent']],
  ['1.2.840.10045.4.3.3', [ecdsa('sha384'), 'absent']],
  ['1.2.840.10045.4.3.4', [ecdsa('sha512'), 'absent']],
  [id_sha256WithRSAEncryption, [pkcs1('sha256'), 'null-or-absent']],
  [id_sha384WithRSAEncryption, [pkcs1('sha384'), 'null-or-absent']],
  [id_sha512WithRSAEncryption, [pkcs1('sha512'), 'null-or-absent']],
  ['1.3.101.112', [{ name: 'Ed25519', digest: null, options: {} }, 'absent']],
  ['1.3.101.113', [{ name: 'Ed448', digest: null, options: {} }, 'absent']],
])

const NULL_DER = Buffer.from([0x05, 0x00])

function parametersFit(parameters: ArrayBuffer | null | undefined, rule: ParameterRule): boolean {
  if (parameters === undefined) return true
  if (rule === 'absent') return false
  return parameters === null || Buffer.from(parameters).equals(NULL_DER)
}

const digestOf = (hash: AlgorithmIdentifier): 'sha256' | 'sha384' | 'sha512' | undefined =>
  parametersFit(hash.parameters, 'null-or-absent')
    ? DIGEST_BY_HASH_OID.get(hash.algorithm)
    : undefined

// RFC 4055 §3.1: the hash is SHA-256, -384 or -512, MGF1 uses the same hash, the trailer field is 1. The salt
// length is whatever the parameters declare: OpenSSL checks the signature against it.
function pssParams(parameters: ArrayBuffer | null | undefined): SignatureParams | undefined {
  if (parameters === undefined || parameters === null) return undefined
  let pss: RsaSaPssParams
  let mgfHash: AlgorithmIdentifier
  try {
    pss = AsnConvert.parse(parameters, RsaSaPssParams)
    mgfHash = AsnConvert.parse(
      pss.maskGenAlgorithm.parameters ?? new ArrayBuffer(0),
      AlgorithmIdentifier,
    )
  } catch {
    return undefined
  }
  const digest = digestOf(pss.hashAlgorithm)
  if (
    digest === undefined ||
    pss.maskGenAlgorithm.algorithm !== id_mgf1 ||
    digestOf(mgfHash) !== digest ||
    pss.trailerField !== 1
  ) {
    return undefined
  }
  return {
    name: `RSASSA-PSS with ${digest.toUpperCase()}`,
    digest,
    options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength },
  }
}

/**
 * How to verify a certificate's or a CRL's signature, given its two algorithm fields (`signed`:
 * tbsCertificate.signature or tbsCertList.signature; `outer`: signatureAlgorithm), or undefined when the two
 * differ (RFC 5280 §4.1.1.2, §5.1.1.2) or the algorithm is not on the allowlist.
 *
 * @example
 * ```ts
 * const asn = AsnConvert.parse(der, Certificate)
 * allowedSignatureParams(asn.tbsCertificate.signature, asn.signatureAlgorithm)?.name // 'ecdsa-with-SHA256'
 * ```
 */
export function allowedSignatureParams(
  signed: AlgorithmIdentifier,
  outer: AlgorithmIdentifier,
): SignatureParams | undefined {
  const same = Buffer.from(AsnConvert.serialize(signed)).equals(
    Buffer.from(AsnConvert.serialize(outer)),
  )
  if (!same) return undefined
  if (outer.algorithm === id_RSASSA_PSS) return pssParams(outer.parameters)
  const entry = FIXED_ALGORITHMS.get(outer.algorithm)
  return entry !== undefined && parametersFit(outer.parameters, entry[1]) ? entry[0] : undefined
}
