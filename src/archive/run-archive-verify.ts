import { loadCliConfig } from '../cli/load-cli-config.js'
import { EXIT } from '../cli/exit-codes.js'
import { readConfiguredFile } from '../config/read-configured-file.js'
import { UsageError } from '../errors.js'
import { openMessageDatabase } from '../store/message-database.js'
import { parseTime } from '../store/query-time.js'
import { DEFAULT_STORE_URL, parseStoreUrl } from '../store/store-url.js'
import { ProgressBar } from './progress-bar.js'
import { storedRowPages } from './stored-row-pages.js'
import { createStoredRowVerifier, type ArchiveVerdict } from './stored-row-verifier.js'

/** Flags of `fedmsg archive verify`. */
export interface ArchiveVerifyFlags {
  readonly db?: string
  readonly config?: string
  readonly ca: readonly string[]
  readonly crl: readonly string[]
  readonly requireCrls?: boolean
  readonly since?: string
  readonly until?: string
  readonly json?: boolean
}

/**
 * `fedmsg archive verify`: re-verifies every stored envelope in the time range, oldest first, as of its own
 * timestamp. Prints each failing row, then the count of each verdict; sets exit code 1 when any row failed.
 *
 * @example
 * ```ts
 * await runArchiveVerify({ db: 'sqlite:fedmsg.db', ca: ['/etc/fedmsg/ca.crt'], crl: [] })
 * ```
 */
export async function runArchiveVerify(flags: ArchiveVerifyFlags): Promise<void> {
  if (flags.ca.length === 0) throw new UsageError('give at least one trust anchor with --ca')
  const range = {
    ...(flags.since === undefined ? {} : { since: parseTime(flags.since, '--since') }),
    ...(flags.until === undefined ? {} : { until: parseTime(flags.until, '--until') }),
  }
  if (flags.db !== undefined) parseStoreUrl(flags.db, process.cwd())
  const verify = createStoredRowVerifier({
    trustAnchors: flags.ca.map((file) => readConfiguredFile(file, '--ca')),
    crls: flags.crl.map((file) => readConfiguredFile(file, '--crl')),
    requireCrls: flags.requireCrls === true,
  })
  const { config } = loadCliConfig(flags.config)
  const db = await openMessageDatabase(
    flags.db ?? config.store?.db ?? DEFAULT_STORE_URL,
    process.cwd(),
  )
  const counts = new Map<ArchiveVerdict, number>()
  let checked = 0
  try {
    // Counting is a scan of its own: only a terminal, which shows the bar, pays for it.
    const total = process.stderr.isTTY === true ? await db.count({ ...range, limit: 1 }) : 0
    const progress = new ProgressBar(process.stderr, total)
    for await (const rows of storedRowPages(db, range)) {
      for (const row of rows) {
        const { verdict, detail } = verify(row)
        counts.set(verdict, (counts.get(verdict) ?? 0) + 1)
        checked += 1
        if (verdict !== 'ok') writeFailure(flags.json === true, row.msgId, verdict, detail)
      }
      progress.tick(checked)
    }
    progress.finish(checked)
  } finally {
    await db.close()
  }
  writeCounts(flags.json === true, checked, counts)
  if (checked !== (counts.get('ok') ?? 0)) process.exitCode = EXIT.rejected
}

function writeFailure(json: boolean, msgId: string, verdict: string, detail: string): void {
  const line = json
    ? JSON.stringify({ msg_id: msgId, verdict, detail })
    : `${msgId} ${verdict}: ${detail}`
  process.stdout.write(`${line}\n`)
}

function writeCounts(json: boolean, checked: number, counts: Map<ArchiveVerdict, number>): void {
  const sorted = [...counts].sort(([a], [b]) => a.localeCompare(b))
  if (json) {
    process.stdout.write(`${JSON.stringify({ checked, verdicts: Object.fromEntries(sorted) })}\n`)
    return
  }
  process.stdout.write(`checked ${checked}\n`)
  for (const [verdict, n] of sorted) process.stdout.write(`${verdict} ${n}\n`)
}
