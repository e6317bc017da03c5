import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { StateUnavailable } from '../errors.js'
import { isJournalFileName, journalFileName } from './journal-directory.js'
import { JOURNAL_HEADER } from './journal-lines.js'

/**
 * Marks `journalDir` (a hub's `<state_dir>/hub`) as belonging to a new installation: one empty journal file, so
 * the first run admits at once. A hub that finds no journal cannot tell a first start from a lost state
 * directory, and refuses one clock skew of traffic (docs/operations.md, "Replay after a restart"); run this
 * once when a hub is installed, never on every start, or a lost journal would go unnoticed.
 *
 * Returns `exists`, changing nothing, when the directory already holds a journal: an existing journal is never
 * reset. Throws `StateUnavailable` when the directory cannot be written.
 *
 * @example
 * ```ts
 * initReplayJournal('/var/lib/fedmsg/hub') // 'created', then 'exists' on any later call
 * ```
 */
export function initReplayJournal(journalDir: string): 'created' | 'exists' {
  try {
    if (existsSync(journalDir) && readdirSync(journalDir).some(isJournalFileName)) return 'exists'
    mkdirSync(journalDir, { recursive: true, mode: 0o700 })
    const owner = `${process.pid}-${randomBytes(4).toString('hex')}`
    writeFileSync(join(journalDir, journalFileName(owner, 0)), JOURNAL_HEADER, {
      mode: 0o600,
      flag: 'wx',
    })
    return 'created'
  } catch (error) {
    throw new StateUnavailable(
      `cannot initialise the replay journal in ${journalDir}: make it writable by this user, or set state_dir`,
      { cause: error },
    )
  }
}
