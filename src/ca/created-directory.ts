import { chmodSync, mkdirSync, rmdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { writingTo } from './ca-write-error.js'

/** A directory a CA operation made sure exists, and the undo of what it created. */
export interface CreatedDirectory {
  readonly dir: string
  /** True when this call created `dir` (and perhaps parents). */
  readonly created: boolean
  /** Removes the directories this call created, deepest first, if they are empty; never anything else. */
  removeIfEmpty(): void
}

/**
 * Creates `dir` and missing parents 0700 (it will hold private keys), and leaves an existing directory alone:
 * its mode is changed only once the operation knows it will write there, so a refused command changes
 * nothing. System errors become `CaWriteFailed`.
 */
export function createDirectory(dir: string): CreatedDirectory {
  const first = writingTo(dir, () => mkdirSync(dir, { recursive: true, mode: 0o700 }))
  if (first !== undefined) writingTo(dir, () => chmodSync(dir, 0o700)) // the umask narrowed mkdir's mode
  return {
    dir,
    created: first !== undefined,
    removeIfEmpty() {
      if (first === undefined) return
      for (let current = dir; ; current = dirname(current)) {
        try {
          rmdirSync(current)
        } catch {
          return // not empty (someone else uses it now) or already gone: leave it
        }
        if (current === first) return
      }
    },
  }
}
