import type { CertificateProfile } from './certificate-profile.js'
import { LruCache } from '../lru-cache.js'

/** Bytes of a certificate's end, inside its signature, that go into the key with its length. */
const KEY_TAIL_BYTES = 8

/**
 * Issuer certificates already parsed, by their DER bytes, in a bounded LRU. Each new leaf of a service comes
 * with the same intermediate, and parsing that again (OpenSSL, then the ASN.1 decoder) was about half of a
 * cold chain check. Parsing is a function of the bytes alone, so a profile is reused only for byte-identical
 * DER; every path rule is still judged afresh for every chain, and only issuers of chains that passed them
 * are remembered, so forged chains cannot churn the cache.
 *
 * @example
 * ```ts
 * const issuers = new ParsedIssuers(256)
 * issuers.get(intermediateDer) // undefined until remembered
 * issuers.remember(intermediateProfile)
 * ```
 */
export class ParsedIssuers {
  readonly #profiles: LruCache<string, CertificateProfile>

  constructor(capacity: number) {
    this.#profiles = new LruCache(capacity)
  }

  /** The profile parsed from exactly these bytes, if remembered. */
  get(der: Uint8Array): CertificateProfile | undefined {
    const profile = this.#profiles.get(keyOf(der))
    return profile !== undefined && profile.der.equals(der) ? profile : undefined
  }

  remember(profile: CertificateProfile): void {
    this.#profiles.set(keyOf(profile.der), profile)
  }
}

// Only picks the candidate: get() compares the whole DER before a profile is used.
function keyOf(der: Uint8Array): string {
  const tail = der.subarray(Math.max(0, der.length - KEY_TAIL_BYTES))
  return `${der.length}:${Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength).toString('hex')}`
}
