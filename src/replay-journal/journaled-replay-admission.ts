import { REPLAY_CACHE_MAX_ENTRIES, ReplayCache } from '../crypto/replay/replay-cache.js'
import type { ReplayAdmission } from '../crypto/replay/replay-admission.js'
import { currentBootId } from './boot-id.js'
import {
  readJournalDirectory,
  retireJournalFiles,
  type JournalHealth,
} from './journal-directory.js'
import { admittedLine, bootLine, floorLine, type JournalEntry } from './journal-lines.js'
import { JournalWriter } from './journal-writer.js'

export interface JournaledReplayAdmissionOptions {
  /** The directory of this component's journal, e.g. `<state_dir>/hub`. */
  readonly dir: string
  /** How long an id is remembered (the verifier's replay window). */
  readonly windowMs: number
  /** The allowed clock skew: how far ahead of its clock a previous run may have accepted messages. */
  readonly clockSkewMs: number
  /**
   * fdatasync each write before it returns (a power loss forgets nothing), or leave the write to the kernel
   * (a crash of the process forgets nothing; after a crash of the machine the journal counts as lost).
   */
  readonly fsync: boolean
  /** The clock the verifier uses, in ms. */
  readonly now: () => number
  /** Most ids remembered; default REPLAY_CACHE_MAX_ENTRIES. */
  readonly maxEntries?: number
}

/** Why the admission started closed for one skew window, if it did. */
export interface AdmissionStart {
  readonly health: JournalHealth
  readonly problem: string | undefined
  /** With a missing or corrupt journal: every message stamped at or before this instant is refused. */
  readonly closedUpTo: number | undefined
}

/**
 * A {@link ReplayAdmission} that survives restarts: every admitted `msg_id` is appended to a journal in a
 * state directory before the message is acted on, and a new run reads the journal back first. The journal
 * is bounded by the window: a file is deleted once every id in it expired, or once a later file was closed
 * full (the floor of ids the full cache forgot is carried into each new file). Several components or runs
 * may share a directory: each writes its own files and reads all of them.
 *
 * When the journal is missing or corrupt, or was written without fsync before the machine last went down,
 * the previous runs' admissions are unknown: this run refuses every message stamped at or before
 * `start + skew`, and records that floor so later runs keep it (why: docs/threat-model.md, "Replay across a
 * restart").
 *
 * @example
 * ```ts
 * const admission = JournaledReplayAdmission.open({ dir: '/var/lib/fedmsg/hub', windowMs: 330_001, clockSkewMs: 30_000, now: Date.now })
 * const verifier = new EnvelopeVerifier({ trustAnchors, replayAdmission: admission })
 * ```
 */
export class JournaledReplayAdmission implements ReplayAdmission {
  readonly start: AdmissionStart
  readonly #options: JournaledReplayAdmissionOptions
  readonly #cache: ReplayCache
  readonly #writer: JournalWriter
  readonly #maxEntries: number
  readonly #bootLine: string
  #pending: JournalEntry[] = []
  #lastNow: number

  private constructor(options: JournaledReplayAdmissionOptions) {
    this.#options = options
    this.#maxEntries = options.maxEntries ?? REPLAY_CACHE_MAX_ENTRIES
    this.#cache = new ReplayCache(options.windowMs, this.#maxEntries)
    const now = (this.#lastNow = options.now())
    const bootId = currentBootId()
    this.#bootLine = options.fsync ? '' : bootLine(bootId)
    const found = readJournalDirectory(options.dir, now, bootId)
    for (const entry of found.entries) this.#cache.restore(entry.msgId, entry)
    this.#cache.forgetUpTo(found.floor)
    const closedUpTo = found.health === 'ok' ? undefined : now + options.clockSkewMs
    if (closedUpTo !== undefined) this.#cache.forgetUpTo(closedUpTo)
    this.start = { health: found.health, problem: found.problem, closedUpTo }
    // What a retired file (corrupt, or unsynced before a reboot) still holds is copied into this run's file
    // first, with the floor; only then is it set aside, so a crash in between loses nothing.
    this.#writer = new JournalWriter(
      { dir: options.dir, fsync: options.fsync, inherited: found.files },
      now,
      this.#head(),
    )
    const carried = found.retired.flatMap((file) => file.entries)
    if (carried.length > 0) this.#write(carried)
    retireJournalFiles(found.retired)
  }

  /** Reads the journal in `dir` and opens this run's file. Throws StateUnavailable. */
  static open(options: JournaledReplayAdmissionOptions): JournaledReplayAdmission {
    return new JournaledReplayAdmission(options)
  }

  get size(): number {
    return this.#cache.size
  }

  admit(msgId: string, timestamp: number, now: number): void {
    this.#cache.admit(msgId, timestamp, now)
    this.#pending.push({ msgId, timestamp, expiresAt: now + this.#options.windowMs })
    this.#lastNow = now
  }

  commit(): void {
    if (this.#pending.length === 0) return
    const { startedAt, entries } = this.#writer.current
    if (entries >= this.#maxEntries || this.#lastNow - startedAt >= this.#options.windowMs) {
      this.#writer.rotate(this.#lastNow, this.#head(), this.#maxEntries)
    }
    const pending = this.#pending
    this.#pending = []
    this.#write(pending)
  }

  /** Closes the journal file; admissions not committed are dropped (their messages were not acted on). */
  close(): void {
    this.#writer.close()
  }

  #write(entries: readonly JournalEntry[]): void {
    const expiresBy = entries.reduce((latest, entry) => Math.max(latest, entry.expiresAt), -1)
    this.#writer.append(entries.map(admittedLine).join(''), entries.length, expiresBy)
  }

  #head(): string {
    const floor = this.#cache.forgottenUpTo
    return this.#bootLine + (floor < 0 ? '' : floorLine(floor))
  }
}
