/**
 * A map that keeps at most `capacity` entries and forgets the least recently used one first. A capacity of 0
 * keeps nothing. Bounded so that no input can grow it without limit.
 *
 * @example
 * ```ts
 * const cache = new LruCache<string, number>(2)
 * cache.set('a', 1)
 * cache.get('a') // 1
 * ```
 */
export class LruCache<K, V> {
  readonly #capacity: number
  // A Map iterates in insertion order: re-inserting on every hit keeps the oldest entry first.
  readonly #entries = new Map<K, V>()

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new TypeError(`cache capacity must be a non-negative integer, got ${capacity}`)
    }
    this.#capacity = capacity
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size
  }

  /** The value for `key`, marked as most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key)
    if (value !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, value)
    }
    return value
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    if (this.#capacity === 0) return
    this.#entries.delete(key)
    if (this.#entries.size >= this.#capacity) {
      this.#entries.delete(this.#entries.keys().next().value as K)
    }
    this.#entries.set(key, value)
  }

  clear(): void {
    this.#entries.clear()
  }
}
