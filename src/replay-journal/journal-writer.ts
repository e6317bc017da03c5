import { randomBytes } from 'node:crypto'
import { closeSync, constants, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { syncDirectory, NODE_FS } from '../ca/atomic-file.js'
import { StateUnavailable } from '../errors.js'
import { journalFileName, setOwnerOpen, sweepJournalFiles } from './journal-directory.js'
import { JOURNAL_HEADER } from './journal-lines.js'

/** One file of this writer: its path, its newest expiry and how many entries it holds. */
interface Segment {
  readonly path: string
  readonly fd: number
  readonly startedAt: number
  expiresBy: number
  entries: number
}

export interface JournalWriterOptions {
  readonly dir: string
  /** fdatasync after every write (survives power loss), or leave it to the kernel (survives a crash of fedmsg). */
  readonly fsync: boolean
  /** Files of earlier runs, deleted once expired and unowned. */
  readonly inherited: readonly { readonly path: string; readonly expiresBy: number }[]
}

/**
 * Appends one process's journal lines to its own files (`replay-<pid>-<random>-<n>.jrnl`), so that several
 * writers can share a directory and a reader never meets two writers in one file. Each write is one
 * `write(2)` of whole lines, done before the messages it records are acted on.
 */
export class JournalWriter {
  readonly #options: JournalWriterOptions
  readonly #owner = `${process.pid}-${randomBytes(6).toString('hex')}`
  #others: { path: string; expiresBy: number }[]
  #closed: Segment[] = []
  #segment: Segment
  #sequence = 0

  /** Creates the first file, starting with `head` (lines that carry state over). */
  constructor(options: JournalWriterOptions, now: number, head: string) {
    this.#options = options
    this.#others = [...options.inherited]
    setOwnerOpen(this.#owner, true)
    this.#segment = this.#create(now, head)
  }

  /** The current file's age and size, for the caller's rotation rule. */
  get current(): { readonly startedAt: number; readonly entries: number } {
    return this.#segment
  }

  /** Writes `lines` (holding `count` entries expiring by `expiresBy`), then fsyncs per the policy. */
  append(lines: string, count: number, expiresBy: number): void {
    const segment = this.#segment
    try {
      writeWhole(segment.fd, Buffer.from(lines, 'utf8'))
      if (this.#options.fsync) fdatasyncSync(segment.fd)
    } catch (error) {
      throw new StateUnavailable(
        `cannot write the replay journal ${segment.path}: free space or fix permissions; messages are not dispatched until it can be written`,
        { cause: error },
      )
    }
    segment.entries += count
    segment.expiresBy = Math.max(segment.expiresBy, expiresBy)
  }

  /**
   * Starts a new file with `head`, then deletes the files no longer needed: those whose entries all expired,
   * and those older than a file closed full (`fullAt` entries), since `head` carries the floor that covers them.
   */
  rotate(now: number, head: string, fullAt: number): void {
    const previous = this.#segment
    this.#segment = this.#create(now, head)
    closeSync(previous.fd)
    this.#closed.push(previous)
    const lastFull = this.#closed.findLastIndex((segment) => segment.entries >= fullAt)
    this.#closed = this.#closed.filter((segment, index) => {
      if (segment.expiresBy > now && index >= lastFull) return true
      rmSync(segment.path, { force: true })
      return false
    })
    this.#others = sweepJournalFiles(this.#others, now)
  }

  close(): void {
    closeSync(this.#segment.fd)
    setOwnerOpen(this.#owner, false)
  }

  #create(now: number, head: string): Segment {
    const path = join(this.#options.dir, journalFileName(this.#owner, this.#sequence++))
    try {
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND
      const fd = openSync(path, flags, 0o600)
      writeWhole(fd, Buffer.from(JOURNAL_HEADER + head, 'utf8'))
      if (this.#options.fsync) {
        fdatasyncSync(fd)
        syncDirectory(NODE_FS, this.#options.dir)
      }
      return { path, fd, startedAt: now, expiresBy: -1, entries: 0 }
    } catch (error) {
      throw new StateUnavailable(
        `cannot create the replay journal ${path}: make ${this.#options.dir} writable by this user, or set state_dir`,
        { cause: error },
      )
    }
  }
}

function writeWhole(fd: number, bytes: Buffer): void {
  let offset = 0
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset)
}
