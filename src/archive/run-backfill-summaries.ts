import { loadCliConfig } from '../cli/load-cli-config.js'
import { createSummarizerFromConfig } from '../meta/summarizer-from-config.js'
import { openMessageDatabase } from '../store/message-database.js'
import { parseTime } from '../store/query-time.js'
import { DEFAULT_STORE_URL, parseStoreUrl } from '../store/store-url.js'
import { storedRowPages } from './stored-row-pages.js'

/** Flags of `fedmsg archive backfill-summaries`. */
export interface BackfillFlags {
  readonly db?: string
  readonly config?: string
  readonly since?: string
  readonly until?: string
}

/**
 * `fedmsg archive backfill-summaries`: gives rows stored before summary names were kept (schema migration 2)
 * the users and packages of their summary, with the site's processors. Adding names is idempotent, so a run
 * can be repeated or cut short and started again. Prints how many rows got names.
 *
 * @example
 * ```ts
 * await runBackfillSummaries({ db: 'sqlite:fedmsg.db', until: '2026-12-01' })
 * ```
 */
export async function runBackfillSummaries(flags: BackfillFlags): Promise<void> {
  const range = {
    ...(flags.since === undefined ? {} : { since: parseTime(flags.since, '--since') }),
    ...(flags.until === undefined ? {} : { until: parseTime(flags.until, '--until') }),
  }
  if (flags.db !== undefined) parseStoreUrl(flags.db, process.cwd())
  const { config } = loadCliConfig(flags.config)
  const summarize = await createSummarizerFromConfig(config)
  const db = await openMessageDatabase(
    flags.db ?? config.store?.db ?? DEFAULT_STORE_URL,
    process.cwd(),
  )
  let named = 0
  try {
    for await (const rows of storedRowPages(db, range)) {
      for (const row of rows) {
        const envelope = JSON.parse(row.envelope) as { msg?: unknown }
        const body = typeof envelope.msg === 'object' && envelope.msg !== null ? envelope.msg : {}
        const summary = summarize({
          topic: row.topic,
          body: body as Record<string, unknown>,
          signer: { name: row.signer },
        })
        if (summary.usernames.length === 0 && summary.packages.length === 0) continue
        await db.addNames({ ...row, users: summary.usernames, packages: summary.packages })
        named += 1
      }
    }
  } finally {
    await db.close()
  }
  process.stdout.write(`summarized ${named}\n`)
}
