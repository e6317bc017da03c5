import type { Summarize } from '../meta/message-summary.js'
import type { StoredRow } from './stored-message.js'

// SGR codes (ECMA-48): dim, cyan, green, reset.
const DIM = '\u001b[2m'
const CYAN = '\u001b[36m'
const GREEN = '\u001b[32m'
const RESET = '\u001b[0m'

/**
 * `fedmsg query --pretty`: one line per message for humans: time, topic, signer, the summary's subtitle.
 * Colour only when `colour` (stdout is a terminal): a pipe or a file gets plain text. The subtitle is
 * already cleaned of control characters by the summarizer, so a message cannot write escape codes.
 *
 * @example
 * ```ts
 * prettyLine(row, createSummarizer(), process.stdout.isTTY === true)
 * // '2026-12-06T12:00:00.000Z org.fedoraproject.prod.bodhi.update bodhi lmacken submitted …'
 * ```
 */
export function prettyLine(row: StoredRow, summarize: Summarize, colour: boolean): string {
  const envelope = JSON.parse(row.envelope) as { msg?: unknown }
  const body =
    typeof envelope.msg === 'object' && envelope.msg !== null
      ? (envelope.msg as Record<string, unknown>)
      : {}
  const { subtitle } = summarize({ topic: row.topic, body, signer: { name: row.signer } })
  const time = new Date(row.timestamp).toISOString()
  const paint = (code: string, text: string) => (colour ? `${code}${text}${RESET}` : text)
  return `${paint(DIM, time)} ${paint(CYAN, row.topic)} ${paint(GREEN, row.signer)} ${subtitle}`
}
