/**
 * The text format of a replay journal file: one JSON value per line, so that a line cut short by a crash is
 * recognisable and every other line still reads.
 *
 *   {"fedmsg":"replay-journal","version":1}    the first line of every file
 *   ["A",expiresAt,timestamp,"msg_id"]          an admitted msg_id, remembered until expiresAt (ms)
 *   ["F",timestamp]                             every msg_id stamped at or before timestamp counts as seen
 *   ["B","boot id"]                             written without fsync during this boot of the machine
 */
export const JOURNAL_HEADER = '{"fedmsg":"replay-journal","version":1}\n'

/** What `corrupt` says of a file without its whole header line. */
export const NO_HEADER = 'no header line'

/** An admitted `msg_id` as a journal holds it. */
export interface JournalEntry {
  readonly msgId: string
  readonly timestamp: number
  readonly expiresAt: number
}

/** What one file holds; `corrupt` names the first line that is neither a header, an entry nor a floor. */
export interface JournalContent {
  readonly entries: JournalEntry[]
  readonly floor: number
  /** Boot ids of unsynced writers (`B` lines). */
  readonly boots: string[]
  readonly corrupt: string | undefined
}

export function admittedLine(entry: JournalEntry): string {
  return `${JSON.stringify(['A', entry.expiresAt, entry.timestamp, entry.msgId])}\n`
}

export function floorLine(timestamp: number): string {
  return `${JSON.stringify(['F', timestamp])}\n`
}

export function bootLine(bootId: string): string {
  return `${JSON.stringify(['B', bootId])}\n`
}

/**
 * Reads a file's text. Whatever follows the last newline is a write cut short by a crash: its messages were
 * never acted on (they are acted on only once the write returned), so it is ignored, not corrupt. A file
 * without its whole header is corrupt: an unsynced writer's file can come back empty after a power loss,
 * its boot line lost with everything it recorded.
 */
export function parseJournal(text: string): JournalContent {
  const lines = text.split('\n').slice(0, -1)
  const entries: JournalEntry[] = []
  const boots: string[] = []
  let floor = -1
  if (lines.length === 0) return { entries, floor, boots, corrupt: NO_HEADER }
  for (const [index, line] of lines.entries()) {
    if (index === 0 && `${line}\n` === JOURNAL_HEADER) continue
    const record = index === 0 ? undefined : parseRecord(line)
    if (record === undefined) return { entries, floor, boots, corrupt: `line ${index + 1}` }
    if ('msgId' in record) entries.push(record)
    else if ('boot' in record) boots.push(record.boot)
    else floor = Math.max(floor, record.floor)
  }
  return { entries, floor, boots, corrupt: undefined }
}

function parseRecord(
  line: string,
): JournalEntry | { floor: number } | { boot: string } | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (!Array.isArray(value)) return undefined
  const [kind, a, b, msgId] = value as unknown[]
  if (kind === 'F' && value.length === 2 && Number.isFinite(a)) return { floor: a as number }
  if (kind === 'B' && value.length === 2 && typeof a === 'string') return { boot: a }
  const valid =
    kind === 'A' &&
    value.length === 4 &&
    Number.isFinite(a) &&
    Number.isFinite(b) &&
    typeof msgId === 'string'
  return valid ? { expiresAt: a as number, timestamp: b as number, msgId } : undefined
}
