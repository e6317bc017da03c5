import type { QueryCommandOptions } from '../cli/commands/query.js'
import { loadCliConfig } from '../cli/load-cli-config.js'
import { assertValidTopicPattern } from '../crypto/policy/topic-pattern.js'
import { UsageError } from '../errors.js'
import { openMessageDatabase } from './message-database.js'
import type { MessageFilter } from './message-filter.js'
import { createSummarizerFromConfig } from '../meta/summarizer-from-config.js'
import { prettyLine } from './pretty-line.js'
import { parseTime } from './query-time.js'
import { DEFAULT_STORE_URL, parseStoreUrl } from './store-url.js'
import type { StoredRow } from './stored-message.js'
import type { Summarize } from '../meta/message-summary.js'

/**
 * `fedmsg query`: one page of stored messages on stdout.
 *
 * @example
 * ```ts
 * await runQuery({ db: 'sqlite:fedmsg.db', topic: ['org.fedoraproject.*.bodhi.>'], limit: 10, order: 'desc' })
 * ```
 */
export async function runQuery(options: QueryCommandOptions): Promise<void> {
  for (const pattern of options.topic ?? []) assertValidTopicPattern(pattern)
  if (options.order !== 'asc' && options.order !== 'desc')
    throw new UsageError('--order must be asc or desc')
  const filter: MessageFilter = {
    topics: options.topic ?? [],
    signers: options.signer ?? [],
    users: options.user ?? [],
    packages: options.package ?? [],
    contains: options.contains ?? [],
    order: options.order,
    limit: options.limit,
    ...(options.since === undefined ? {} : { since: parseTime(options.since, '--since') }),
    ...(options.until === undefined ? {} : { until: parseTime(options.until, '--until') }),
  }
  if (options.db !== undefined) parseStoreUrl(options.db, process.cwd())
  const { config } = loadCliConfig(options.config)
  const line =
    options.json === true
      ? jsonLine
      : options.pretty === true
        ? prettyOf(await createSummarizerFromConfig(config), process.stdout.isTTY === true)
        : textLine
  const db = await openMessageDatabase(
    options.db ?? config.store?.db ?? DEFAULT_STORE_URL,
    process.cwd(),
  )
  try {
    for (const row of await db.query(filter)) {
      process.stdout.write(`${line(row)}\n`)
    }
  } finally {
    await db.close()
  }
}

/** The shape of datagrepper's raw messages, plus the envelope a client re-verifies. */
export function jsonLine(row: StoredRow): string {
  const envelope = JSON.parse(row.envelope) as { msg: unknown }
  return JSON.stringify({
    msg_id: row.msgId,
    topic: row.topic,
    signer: row.signer,
    timestamp: row.timestamp / 1000,
    i: row.i,
    msg: envelope.msg,
    envelope: row.envelope,
  })
}

const prettyOf = (summarize: Summarize, colour: boolean) => (row: StoredRow) =>
  prettyLine(row, summarize, colour)

function textLine(row: StoredRow): string {
  return `${new Date(row.timestamp).toISOString()} ${row.topic} ${row.signer} ${row.msgId}`
}
