import { formatKeyPath } from './config-key-path.js'

/**
 * Maps merged per entry: a later file adds or replaces single services (or topic patterns) without having
 * to repeat the others. An entry is replaced whole (`certs.bodhi` from a later file replaces both its cert and
 * key), never merged field by field, so that a cert and a key from different files can never be paired.
 */
export const PER_ENTRY_KEYS: ReadonlySet<string> = new Set(['endpoints', 'certs', 'schemas'])

/** One source of values: a validated file (paths already absolute), the defaults or the caller's options. */
export interface ConfigLayer {
  /** Absolute file path, "default" or "options". */
  readonly source: string
  readonly values: Readonly<Record<string, unknown>>
}

export interface MergedLayers {
  readonly merged: Record<string, unknown>
  /** Top-level key → the source that last set it; for per-entry maps also `endpoints.bodhi` → source. */
  readonly sources: Record<string, string>
}

/**
 * Merges layers, lowest precedence first: a later layer's top-level key replaces the earlier value, except for
 * the {@link PER_ENTRY_KEYS} maps, merged per entry.
 */
export function mergeLayers(layers: readonly ConfigLayer[]): MergedLayers {
  const merged: Record<string, unknown> = {}
  const sources: Record<string, string> = {}
  for (const { source, values } of layers) {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue
      sources[key] = source
      if (!PER_ENTRY_KEYS.has(key)) {
        merged[key] = value
        continue
      }
      const entries = value as Record<string, unknown>
      merged[key] = { ...(merged[key] as Record<string, unknown> | undefined), ...entries }
      for (const entry of Object.keys(entries)) sources[formatKeyPath([key, entry])] = source
    }
  }
  return { merged, sources }
}
