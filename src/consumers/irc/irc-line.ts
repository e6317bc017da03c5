import { cleanText } from '../../meta/clean-text.js'
import type { MessageSummary } from '../../meta/message-summary.js'

/** mIRC colours readable on light and dark backgrounds (white, black and greys left out). */
const COLOURS = [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13] as const
const COLOUR = '\x03'
const RESET = '\x0f'
const TRUNCATED = '…'

/** The same service always gets the same colour, on every bot and every restart. */
export function serviceColour(service: string): number {
  let hash = 0
  for (const char of service) hash = (hash * 31 + char.codePointAt(0)!) >>> 0
  return COLOURS[hash % COLOURS.length]!
}

/**
 * One IRC line for a summary: `service: subtitle link`, the service coloured when `colour` is set. The text
 * is cleaned again (a site processor's summary is cleaned by the summarizer, but this line goes to a server
 * that treats CR/LF as a command boundary) and cut at `maxBytes` of UTF-8, never inside a character.
 *
 * @example
 * ```ts
 * formatIrcLine(summary, { colour: false, maxBytes: 400 }) // 'bodhi: lmacken submitted … https://…'
 * ```
 */
export function formatIrcLine(
  summary: MessageSummary,
  options: { readonly colour: boolean; readonly maxBytes: number },
): string {
  const service = cleanText(summary.service, 64)
  const text = cleanText(
    summary.link === undefined ? summary.subtitle : `${summary.subtitle} ${summary.link}`,
    options.maxBytes,
  )
  const label = options.colour
    ? `${COLOUR}${String(serviceColour(service)).padStart(2, '0')}${service}${RESET}`
    : service
  return truncateBytes(`${label}: ${text}`, options.maxBytes)
}

/** `text` when it fits in `maxBytes` of UTF-8; otherwise its longest prefix that fits with `…`. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  const room = maxBytes - Buffer.byteLength(TRUNCATED)
  let used = 0
  let kept = ''
  for (const char of text) {
    used += Buffer.byteLength(char)
    if (used > room) break
    kept += char
  }
  return kept.trimEnd() + TRUNCATED
}
