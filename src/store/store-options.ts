/** Tuning of the store's writer. */
export interface StoreOptions {
  /** Most rows in one insert transaction. */
  readonly batchSize: number
  /** How long a partial batch waits for more rows before it is written, ms. */
  readonly flushIntervalMs: number
  /** Most rows waiting for the database; more are dropped (counted) while it is down or slow. */
  readonly queueLimit: number
  /** Most envelope bytes waiting for the database; the bound on the store's memory under a flood. */
  readonly queueBytesLimit: number
  /** First and longest wait before retrying an unreachable database, ms (doubling in between). */
  readonly retryMinMs: number
  readonly retryMaxMs: number
}

export const DEFAULT_STORE_OPTIONS: StoreOptions = {
  batchSize: 500,
  flushIntervalMs: 100,
  queueLimit: 50_000,
  queueBytesLimit: 64 * 1024 * 1024,
  retryMinMs: 250,
  retryMaxMs: 10_000,
}

/** The defaults with `overrides` applied. */
export function resolveStoreOptions(overrides: Partial<StoreOptions> = {}): StoreOptions {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined)
  return { ...DEFAULT_STORE_OPTIONS, ...Object.fromEntries(defined) }
}
