import type { Rejected, VerifiedMessage } from '../crypto/envelope/verified-message.js'
import type { Summarize } from '../meta/message-summary.js'
import { createSummarizer } from '../meta/summarize-message.js'

/** Output styles of `fedmsg tail`. */
export const TAIL_FORMATS = ['pretty', 'terse', 'json'] as const
export type TailFormat = (typeof TAIL_FORMATS)[number]

/** Turns what the tail saw into text: one line (terse, json) or a block (pretty), each ending in a newline. */
export interface TailFormatter {
  verified(message: VerifiedMessage): string
  /** `at`: when the tail saw it (a rejected message's own timestamp is not trustworthy). */
  rejected(rejected: Rejected, at: number): string
}

const iso = (ms: number) => new Date(ms).toISOString()

/** `time signer topic summary [link]`; a rejection: `time rejected:REASON topic claimed-signer`. */
const terse = (summarize: Summarize): TailFormatter => ({
  verified(m) {
    const { subtitle, link } = summarize(m)
    return `${iso(m.timestamp)} ${m.signer.name} ${m.topic} ${subtitle}${link ? ` ${link}` : ''}\n`
  },
  rejected: (r, at) => `${iso(at)} rejected:${r.reason} ${r.topic ?? '-'} ${r.signer ?? '-'}\n`,
})

const FORMATTERS: Readonly<Record<Exclude<TailFormat, 'terse'>, TailFormatter>> = {
  /** One JSON object per line, for scripts and tests. */
  json: {
    verified: (m) =>
      `${JSON.stringify({
        ok: true,
        topic: m.topic,
        signer: m.signer.name,
        msg_id: m.msgId,
        i: m.i,
        timestamp: m.timestamp,
        body: m.body,
      })}\n`,
    rejected: (r) =>
      `${JSON.stringify({
        ok: false,
        reason: r.reason,
        detail: r.detail,
        ...(r.topic === undefined ? {} : { topic: r.topic }),
        ...(r.signer === undefined ? {} : { signer: r.signer }),
      })}\n`,
  },
  /** A header line, the signer's identity, the body as indented JSON. */
  pretty: {
    verified: (m) =>
      `${iso(m.timestamp)}  ${m.topic}\n` +
      `  signed by ${m.signer.name} (${m.alg}, serial ${m.signer.serial})  i=${m.i}  msg_id=${m.msgId}\n` +
      `${indent(JSON.stringify(m.body, null, 2))}\n\n`,
    rejected: (r, at) =>
      `${iso(at)}  REJECTED ${r.reason}  ${r.topic ?? '(no readable topic)'}\n` +
      (r.signer === undefined ? '' : `  claims to be signed by ${r.signer} (not proven)\n`) +
      `  ${r.detail}\n\n`,
  },
}

/**
 * The formatter for `--pretty`, `--terse` or `--json`; `--terse` writes the one-line summary of `summarize`
 * (default: the built-in processors).
 *
 * @example
 * ```ts
 * process.stdout.write(tailFormatter('terse').verified(message))
 * ```
 */
export function tailFormatter(
  format: TailFormat,
  summarize: Summarize = createSummarizer(),
): TailFormatter {
  return format === 'terse' ? terse(summarize) : FORMATTERS[format]
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}
