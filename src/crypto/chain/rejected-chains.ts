import { createHash } from 'node:crypto'
import { Rejection } from '../../errors.js'
import { LruCache } from '../lru-cache.js'

/**
 * A bounded memory of x5c chains refused for what they are (path, parse or leaf profile), so that the same bad
 * chain sent again costs one SHA-256 instead of a second judgement (docs/threat-model.md R3). Only verdicts that
 * depend on nothing but the chain and the trust anchors belong here: never dates, revocation or CRLs.
 *
 * The key is the SHA-256 of the chain, each certificate preceded by its length, so that two chains share a key
 * only when they are byte-identical.
 *
 * @example
 * ```ts
 * const rejected = new RejectedChains(1024)
 * const verdict = rejected.judge(x5c, () => judgeChain(x5c)) // rethrows a remembered Rejection
 * ```
 */
export class RejectedChains {
  readonly #rejections: LruCache<string, Rejection>

  constructor(capacity: number) {
    this.#rejections = new LruCache(capacity)
  }

  /** Chains remembered now. */
  get size(): number {
    return this.#rejections.size
  }

  /** Throws the Rejection remembered for `x5c`, or runs `judge` and remembers the Rejection it throws. */
  judge<T>(x5c: readonly Uint8Array[], judge: () => T): T {
    const key = digestOf(x5c)
    const known = this.#rejections.get(key)
    if (known !== undefined) throw new Rejection(known.reason, known.detail)
    try {
      return judge()
    } catch (error) {
      if (error instanceof Rejection) this.#rejections.set(key, error)
      throw error
    }
  }
}

function digestOf(x5c: readonly Uint8Array[]): string {
  const hash = createHash('sha256')
  const length = Buffer.alloc(4)
  for (const der of x5c) {
    length.writeUInt32BE(der.length)
    hash.update(length).update(der)
  }
  return hash.digest('hex')
}
