import type { KeyObject } from 'node:crypto'
import { buildCertPath, checkX5cShape } from './chain-path.js'
import { CHAIN_DEFAULTS } from './chain-defaults.js'
import { CrlSet, type IssuerRevocation } from '../revocation/crl-set.js'
import { checkLeafUsage } from './leaf-usage.js'
import { LruCache } from '../lru-cache.js'
import { ParsedIssuers } from './parsed-issuers.js'
import { RejectedChains } from './rejected-chains.js'
import { checkRevocation, type RevocableCertificate } from '../revocation/revocation-check.js'
import { TrustAnchors } from './trust-anchors.js'
import { checkValidityPeriods, type CheckInstant, type ValidityPeriod } from './validity-period.js'
import type { SignerIdentity } from '../envelope/verified-message.js'

/** How a {@link ChainValidator} is configured. */
export interface ChainValidatorOptions {
  /** DER of the root (or intermediate) CA certificates trusted to issue chains. */
  readonly trustAnchors: readonly Uint8Array[]
  /** DER CRLs; revocation is mandatory for the issuers they name. */
  readonly crls?: readonly Uint8Array[]
  /** Every issuer in a chain, the anchor included, must have a CRL (default false). */
  readonly requireCrls?: boolean
  /** Most certificates an x5c may hold (default 4). */
  readonly maxChainLength?: number
  /** Judge revocation as of `now`, a past instant (see `RevocationCheckOptions.asOf`); default false. */
  readonly revocationAsOf?: boolean
  /** How many verified chains, and how many refused ones, to remember (default 1024 each; 0 remembers none). */
  readonly cacheSize?: number
}

/** A chain that passed every check: the leaf's key and who it names. */
export interface ValidatedChain {
  readonly leafKey: KeyObject
  readonly signer: SignerIdentity
}

/** What the expensive checks of one x5c found; dates and revocation are re-checked from it on every call. */
interface ChainVerdict {
  /** Copies of the x5c judged, so that a chain that only shares its cache key is told apart. */
  readonly x5c: readonly Buffer[]
  readonly chain: ValidatedChain
  readonly periods: readonly ValidityPeriod[]
  readonly certs: readonly RevocableCertificate[]
  readonly issuers: readonly IssuerRevocation[]
}

/** Issuer certificates whose parse is remembered: a bus has a handful of intermediates. */
const ISSUER_CACHE_SIZE = 64

/**
 * Validates x5c chains against the configured trust anchors and CRLs (RFC 5280 §6, profiled by fedmsg/1).
 *
 * Path building, signatures and certificate usage are judged once per distinct x5c and remembered in a bounded
 * LRU; only chains that pass those checks are remembered, and a remembered verdict is used only for a
 * byte-identical x5c. Validity dates and revocation are checked on every call from the remembered data, so a
 * warm call is a lookup and a few compares. A chain refused by those checks is remembered apart, by its
 * SHA-256, so that a flood of one bad chain is refused at the cost of a hash.
 *
 * @example
 * ```ts
 * const chains = new ChainValidator({ trustAnchors: [rootDer], crls: [crlDer] })
 * const { leafKey, signer } = chains.validate(x5c, { now: Date.now(), timestamp, skewMs: 30_000 })
 * ```
 */
export class ChainValidator {
  readonly #anchors: TrustAnchors
  readonly #requireCrls: boolean
  readonly #revocationAsOf: boolean
  readonly #maxChainLength: number
  readonly #verdicts: LruCache<string, ChainVerdict>
  readonly #rejected: RejectedChains
  readonly #issuers: ParsedIssuers
  #crls: CrlSet

  /** Throws `CertInvalid`/`CrlInvalid` for unusable anchors or CRLs, `TypeError` for a bad option. */
  constructor(options: ChainValidatorOptions) {
    const maxChainLength = options.maxChainLength ?? CHAIN_DEFAULTS.maxChainLength
    if (!Number.isSafeInteger(maxChainLength) || maxChainLength < 1) {
      throw new TypeError(`maxChainLength must be a positive integer, got ${maxChainLength}`)
    }
    this.#maxChainLength = maxChainLength
    this.#verdicts = new LruCache(options.cacheSize ?? CHAIN_DEFAULTS.cacheSize)
    this.#rejected = new RejectedChains(options.cacheSize ?? CHAIN_DEFAULTS.cacheSize)
    this.#issuers = new ParsedIssuers(
      Math.min(options.cacheSize ?? CHAIN_DEFAULTS.cacheSize, ISSUER_CACHE_SIZE),
    )
    this.#requireCrls = options.requireCrls ?? false
    this.#revocationAsOf = options.revocationAsOf ?? false
    this.#anchors = new TrustAnchors(options.trustAnchors)
    this.#crls = new CrlSet(options.crls ?? [])
  }

  /**
   * Synchronous. Returns the leaf key and signer identity, or throws `Rejection` with `malformed`,
   * `untrusted_chain`, `bad_cert_usage`, `cert_expired`, `cert_not_yet_valid`, `revoked` or
   * `crl_unavailable`, the first that applies in that order. `TypeError` when a time in `at` is not finite.
   */
  validate(x5c: readonly Uint8Array[], at: CheckInstant): ValidatedChain {
    checkX5cShape(x5c, this.#maxChainLength)
    const key = chainKey(x5c)
    const known = this.#verdicts.get(key)
    const verdict =
      known !== undefined && isSameChain(known.x5c, x5c)
        ? known
        : this.#rejected.judge(x5c, () => this.#judge(x5c, key))
    checkValidityPeriods(verdict.periods, at)
    checkRevocation(verdict.certs, verdict.issuers, {
      now: at.now,
      requireCrls: this.#requireCrls,
      asOf: this.#revocationAsOf,
    })
    return verdict.chain
  }

  /** How many verified and refused chains are remembered now (each bounded by `cacheSize`). */
  cacheSizes(): { readonly verified: number; readonly rejected: number } {
    return { verified: this.#verdicts.size, rejected: this.#rejected.size }
  }

  /**
   * Replaces the CRLs (hot reload) and forgets every remembered verified chain (refused ones do not depend on
   * CRLs). On `CrlInvalid` the old set stays.
   */
  setCrls(crls: readonly Uint8Array[]): void {
    this.#crls = new CrlSet(crls)
    this.#verdicts.clear()
  }

  #judge(x5c: readonly Uint8Array[], key: string): ChainVerdict {
    const { certs, anchor } = buildCertPath(x5c, this.#anchors, this.#issuers)
    const leaf = certs[0]!
    const name = checkLeafUsage(leaf)
    const issuers = [...certs.slice(1), anchor].map((issuer) => this.#crls.revocationOf(issuer))
    const signer: SignerIdentity = Object.freeze({
      name,
      serial: leaf.serial.toString(16),
      fingerprint: leaf.fingerprint,
      issuer: leaf.issuer,
    })
    const verdict: ChainVerdict = {
      x5c: x5c.map((der) => Buffer.from(der)),
      chain: Object.freeze({ leafKey: leaf.publicKey, signer }),
      periods: [...certs, anchor].map(({ subject, notBefore, notAfter }) => ({
        subject,
        notBefore,
        notAfter,
      })),
      certs: certs.map((cert, index) => ({
        subject: cert.subject,
        serial: cert.serial,
        issuedBy: issuers[index]!,
      })),
      issuers,
    }
    this.#verdicts.set(key, verdict)
    return verdict
  }
}

/** Bytes of each certificate's end, its signature, that go into the cache key: 48 bits, exact in a number. */
const KEY_TAIL_BYTES = 6

// The cache key: the count, then each certificate's length and last bytes (the end of its signature, which
// differs between any two certificates a CA signs). It only picks the candidate: the verdict is used when the
// whole x5c is byte-identical (isSameChain), so a chain made to share a key is judged like any new one, and
// only chains that pass are stored. A SHA-256 of the chain was three quarters of a warm validate() here.
function chainKey(x5c: readonly Uint8Array[]): string {
  let key = `${x5c.length}`
  for (const der of x5c) {
    let tail = 0
    for (let i = Math.max(0, der.length - KEY_TAIL_BYTES); i < der.length; i++) {
      tail = tail * 256 + der[i]!
    }
    key += `/${der.length}:${tail}`
  }
  return key
}

function isSameChain(known: readonly Buffer[], x5c: readonly Uint8Array[]): boolean {
  return known.length === x5c.length && known.every((der, index) => der.equals(x5c[index]!))
}
