import type { Logger } from 'pino'
import {
  assertCrlSuccession,
  crlIssuerTimes,
  type CrlIssuerTimes,
} from '../crypto/revocation/crl-succession.js'
import { filesSignature, readCrlFiles } from './crl-files.js'

export interface CrlWatcherOptions {
  /** CRL files (PEM). */
  readonly files: readonly string[]
  /** How often the files are stat()ed, in ms. */
  readonly intervalMs: number
  /** Installs a new set of CRLs (the PEM text of every file); throws when they cannot be used. */
  readonly apply: (crls: readonly string[]) => void
  readonly logger: Logger
}

/** How often CRL files are checked for changes unless a component is told otherwise, in ms. */
export const CRL_POLL_INTERVAL_MS = 5000

/** Reload counters, for the hub's stats. */
export interface CrlWatcherStats {
  readonly reloads: number
  readonly failures: number
}

/** What verifies with CRLs: anything that can swap its set (an EnvelopeVerifier, a MessageVerifier). */
export interface CrlTarget {
  setCrls(crls: readonly string[]): void
}

/**
 * Reloads CRL files when they change, without a restart: the one mechanism every verifying component (hub,
 * relay, tail) uses. It polls stat() instead of using inotify so that every way of replacing a file is seen
 * the same way: in-place writes change size or mtime, and an atomic replace (write a temp file, rename it over
 * the old one) changes the inode.
 *
 * A change is read only once the files have stayed the same for a whole poll, and is used only if they did
 * not change while being read and every PEM block in them is complete: a bundle rewritten in place and read
 * between two of its blocks would otherwise install the first blocks alone, a valid set that leaves the
 * issuers of the later blocks unchecked. Operators should still replace CRL files atomically (rename).
 *
 * A set that fails to read or install is logged and the last good set stays in force; since every CRL
 * carries a nextUpdate, a stale set then fails closed on its own (`crl_unavailable`). So does a set that
 * drops an issuer or moves one back to an older CRL ({@link assertCrlSuccession}).
 *
 * @example
 * ```ts
 * const watcher = await CrlWatcher.watch(['/etc/fedmsg/crl.pem'], verifier, { intervalMs: 5000, logger })
 * await watcher?.close()
 * ```
 */
export class CrlWatcher {
  readonly #options: CrlWatcherOptions
  /** The state last read (installed, or refused). */
  #signature = ''
  /** A new state seen on the previous poll, read if the next poll sees it again. */
  #settling: string | undefined
  /** What the set in force says per issuer; undefined when the files did not read at start. */
  #installed: CrlIssuerTimes | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  #checking: Promise<boolean> | undefined
  #reloads = 0
  #failures = 0

  constructor(options: CrlWatcherOptions) {
    this.#options = options
  }

  /** A started watcher installing `files` into `target`, or undefined when there are no CRL files. */
  static async watch(
    files: readonly string[],
    target: CrlTarget,
    options: { readonly intervalMs: number; readonly logger: Logger },
  ): Promise<CrlWatcher | undefined> {
    if (files.length === 0) return undefined
    const watcher = new CrlWatcher({ ...options, files, apply: (crls) => target.setCrls(crls) })
    await watcher.start()
    return watcher
  }

  /** Records the files' current state and starts polling. */
  async start(): Promise<void> {
    this.#signature = await filesSignature(this.#options.files)
    this.#installed = await readCrlFiles(this.#options.files, this.#signature)
      .then((crls) => (crls === undefined ? undefined : crlIssuerTimes(crls)))
      .catch(() => undefined)
    this.#timer = setInterval(() => void this.check(), this.#options.intervalMs)
    this.#timer.unref()
  }

  /** Polls once; true when the files changed, stayed so for a poll, and a reload was attempted. */
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
    const { files, apply, logger } = this.#options
    const signature = await filesSignature(files)
    if (signature === this.#signature || signature !== this.#settling) {
      this.#settling = signature === this.#signature ? undefined : signature
      return false
    }
    try {
      const crls = await readCrlFiles(files, signature)
      if (crls === undefined) {
        this.#settling = undefined
        return false
      }
      // Remembered before installing, so a broken file is reported once, not on every poll.
      this.#signature = signature
      const times = crlIssuerTimes(crls)
      if (this.#installed !== undefined) assertCrlSuccession(this.#installed, times)
      apply(crls)
      this.#installed = times
      this.#reloads += 1
      logger.info({ files }, 'CRLs reloaded')
    } catch (error) {
      this.#signature = signature
      this.#failures += 1
      logger.error({ err: error, files }, 'CRL reload failed: keeping the last good CRLs')
    }
    this.#settling = undefined
    return true
  }
}
