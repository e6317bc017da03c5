import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs'
import { join } from 'node:path'
import { StateUnavailable } from '../errors.js'
import { NO_HEADER, parseJournal, type JournalEntry } from './journal-lines.js'

const FILE_NAME = /^replay-(\d+)-[0-9a-f]+-\d+\.jrnl$/

/** Whether `name` is a journal file's name (others in the directory are left alone). */
export const isJournalFileName = (name: string): boolean => FILE_NAME.test(name)

/** Writers of this process with a file open, by the owner part of their file names. */
const openOwners = new Set<string>()

export type JournalHealth = 'ok' | 'missing' | 'corrupt' | 'rebooted'

/** A file to take out of use: corrupt ones are kept aside as `*.corrupt`, unsynced ones deleted. */
export interface RetiredFile {
  readonly path: string
  readonly corrupt: boolean
  readonly entries: readonly JournalEntry[]
}

/** What the files of a journal directory hold together, and what became of each. */
export interface JournalDirectory {
  /** Every entry not yet expired, in expiry order. */
  readonly entries: JournalEntry[]
  /** The highest floor any file recorded; -1 if none. */
  readonly floor: number
  /**
   * `missing`: no journal file at all; `corrupt`: some file had an unreadable line; `rebooted`: a file
   * written without fsync during an earlier boot, whose last writes may be lost (`problem` names the file).
   */
  readonly health: JournalHealth
  readonly problem: string | undefined
  /** Files that may be deleted once `expiresBy` has passed and no live writer has them open. */
  readonly files: readonly { readonly path: string; readonly expiresBy: number }[]
  /**
   * Files of writers that are gone, corrupt or unsynced before a reboot: once the caller has written their
   * unexpired `entries` (and the floor) to its own file, {@link retireJournalFiles} takes them out of use.
   */
  readonly retired: readonly RetiredFile[]
}

/** The file name of segment `sequence` of `owner` (`<pid>-<random hex>`). */
export function journalFileName(owner: string, sequence: number): string {
  return `replay-${owner}-${sequence}.jrnl`
}

/** Marks `owner` as writing in this process (so a sweep of this process leaves its files alone) or not. */
export function setOwnerOpen(owner: string, open: boolean): void {
  if (open) openOwners.add(owner)
  else openOwners.delete(owner)
}

/**
 * Reads every journal file in `dir` (created, mode 0700, when absent). Throws StateUnavailable when the
 * directory cannot be used. Changes nothing in it: a file to set aside is listed in `retired`.
 */
export function readJournalDirectory(dir: string, now: number, bootId: string): JournalDirectory {
  let names: string[]
  let owner: { mode: number; uid: number }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    owner = statSync(dir)
    names = readdirSync(dir).filter((name) => FILE_NAME.test(name))
  } catch (error) {
    throw new StateUnavailable(
      `cannot use the replay journal directory ${dir}: make it writable by this user, or set state_dir`,
      { cause: error },
    )
  }
  assertPrivate(dir, owner)
  const entries: JournalEntry[] = []
  const files: { path: string; expiresBy: number }[] = []
  const retired: RetiredFile[] = []
  let floor = -1
  let corrupt: string | undefined
  let rebooted: string | undefined
  for (const name of names) {
    const path = join(dir, name)
    const content = parseJournal(readText(path))
    // A live writer's file without its header is being created this instant: nothing in it yet.
    if (content.corrupt === NO_HEADER && isWriterAlive(name)) continue
    floor = Math.max(floor, content.floor)
    const live = content.entries.filter((entry) => entry.expiresAt > now)
    entries.push(...live)
    const expiresBy = Math.max(-1, ...content.entries.map((entry) => entry.expiresAt))
    // A writer from an earlier boot is gone, whatever process now has its pid.
    const earlierBoot = content.boots.some((boot) => boot !== bootId)
    if (content.corrupt !== undefined) corrupt ??= `${path}, ${content.corrupt}`
    else if (earlierBoot) rebooted ??= `${path}, written without fsync before a reboot`
    if (content.corrupt === undefined && !earlierBoot) files.push({ path, expiresBy })
    else if (earlierBoot || !isWriterAlive(name)) {
      retired.push({ path, corrupt: content.corrupt !== undefined, entries: live })
    }
  }
  entries.sort((a, b) => a.expiresAt - b.expiresAt)
  const health: JournalHealth =
    names.length === 0
      ? 'missing'
      : corrupt !== undefined
        ? 'corrupt'
        : rebooted !== undefined
          ? 'rebooted'
          : 'ok'
  return { entries, floor, health, problem: corrupt ?? rebooted, files, retired }
}

/** Takes retired files out of use, once what they held is written elsewhere. */
export function retireJournalFiles(retired: readonly RetiredFile[]): void {
  for (const file of retired) {
    if (file.corrupt) renameSync(file.path, `${file.path}.corrupt`)
    else rmSync(file.path, { force: true })
  }
}

/** Deletes the files whose entries have all expired and whose writers are gone; keeps the others. */
export function sweepJournalFiles(
  files: readonly { readonly path: string; readonly expiresBy: number }[],
  now: number,
): { path: string; expiresBy: number }[] {
  return files.filter((file) => {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1)
    if (file.expiresBy > now || isWriterAlive(name)) return true
    try {
      unlinkSync(file.path)
    } catch {
      // Already gone (another hub swept it): nothing to keep.
    }
    return false
  })
}

/**
 * Whoever else can write the directory can delete a run's file (its ids would be admitted again while the
 * journal still reads as whole) or plant a floor far ahead (every message refused): refuse to use it.
 */
function assertPrivate(dir: string, stats: { mode: number; uid: number }): void {
  const uid = process.getuid?.()
  const foreign = uid !== undefined && stats.uid !== uid
  if ((stats.mode & 0o022) !== 0 || foreign) {
    const mode = (stats.mode & 0o777).toString(8)
    throw new StateUnavailable(
      `the replay journal directory ${dir} (mode ${mode}, owner uid ${stats.uid}) is writable by others or owned by another user, who could erase what it remembers: run chown $(id -u) ${dir} && chmod 700 ${dir}, or set state_dir`,
    )
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new StateUnavailable(`cannot read the replay journal ${path}: check its permissions`, {
      cause: error,
    })
  }
}

/** Whether the process that wrote `name` may still be writing it (unknown counts as alive). */
function isWriterAlive(name: string): boolean {
  const match = FILE_NAME.exec(name)
  const pid = Number(match?.[1])
  if (pid === process.pid) return openOwners.has(name.split('-').slice(1, 3).join('-'))
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}
