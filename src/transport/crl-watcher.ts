import { readFile, stat } from 'node:fs/promises'
import type { Logger } from 'pino'

export interface CrlWatcherOptions {
  /** CRL files (PEM). */
  readonly files: readonly string[]
  /** How often the files are stat()ed, in ms. */
  readonly intervalMs: number
  /** Installs a new set of CRLs (the PEM text of every file); throws when they cannot be used. */
  readonly apply: (crls: readonly string[]) => void
  readonly logger: Logger
}

/** Reload counters, for the hub's stats. */
export interface CrlWatcherStats {
  readonly reloads: number
  readonly failures: number
}

/**
 * Reloads CRL files when they change, without a restart. It polls stat() instead of using inotify so that
 * every way of replacing a file is seen the same way: in-place writes change size or mtime, and an atomic
 * replace (write a temp file, rename it over the old one) changes the inode.
 *
 * A set that fails to read or install is logged and the last good set stays in force; since every CRL
 * carries a nextUpdate, a stale set then fails closed on its own (`crl_unavailable`).
 */
export class CrlWatcher {
  readonly #options: CrlWatcherOptions
  #signature = ''
  #timer: ReturnType<typeof setInterval> | undefined
  #checking: Promise<boolean> | undefined
  #reloads = 0
  #failures = 0

  constructor(options: CrlWatcherOptions) {
    this.#options = options
  }

  /** Records the files' current state and starts polling. */
  async start(): Promise<void> {
    this.#signature = await this.#currentSignature()
    this.#timer = setInterval(() => void this.check(), this.#options.intervalMs)
    this.#timer.unref()
  }

  /** Polls once; true when the files changed and a reload was attempted. */
  check(): Promise<boolean> {
    this.#checking ??= this.#checkOnce().finally(() => (this.#checking = undefined))
    return this.#checking
  }

  stats(): CrlWatcherStats {
    return { reloads: this.#reloads, failures: this.#failures }
  }

  /** Stops polling and waits for a poll in progress. */
  async close(): Promise<void> {
    clearInterval(this.#timer)
    await this.#checking
  }

  async #checkOnce(): Promise<boolean> {
    const signature = await this.#currentSignature()
    if (signature === this.#signature) return false
    // Remember the new state even if it fails, so a broken file is reported once, not on every poll.
    this.#signature = signature
    const { files, apply, logger } = this.#options
    try {
      const crls = await Promise.all(files.map((file) => readFile(file, 'utf8')))
      apply(crls)
      this.#reloads += 1
      logger.info({ files }, 'CRLs reloaded')
    } catch (error) {
      this.#failures += 1
      logger.error({ err: error, files }, 'CRL reload failed: keeping the last good CRLs')
    }
    return true
  }

  async #currentSignature(): Promise<string> {
    const parts = await Promise.all(
      this.#options.files.map(async (file) => {
        try {
          const s = await stat(file, { bigint: true })
          return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
        } catch {
          return 'missing'
        }
      }),
    )
    return parts.join('|')
  }
}
