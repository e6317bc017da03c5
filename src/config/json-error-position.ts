/** Where `JSON.parse` failed: 1-based line and column, and V8's reason without its location suffix. */
export interface JsonErrorPosition {
  readonly line: number
  readonly column: number
  readonly reason: string
}

/**
 * V8 quotes up to this many characters either side of an unexpected token instead of giving its offset
 * (`Unexpected token 'x', ..."a": x, "b"... is not valid JSON`).
 */
const CONTEXT_CHARS = 10

/**
 * Locates a `JSON.parse` SyntaxError in `text`. V8 reports it one of three ways: an offset ("... in JSON at
 * position 14"), nothing (truncated input: the end), or, for an unexpected token, the text around it.
 */
export function locateJsonError(text: string, message: string): JsonErrorPosition {
  const offset = offsetOf(text, message)
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  const reason = message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
  return { line, column, reason }
}

function offsetOf(text: string, message: string): number {
  const position = /at position (\d+)/.exec(message)
  if (position) return Number(position[1])
  const token = /^Unexpected token '(.)', (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/s.exec(
    message,
  )
  if (token === null) return text.trimEnd().length
  const [, char = '', cutBefore, snippet = '', cutAfter] = token
  if (cutBefore !== undefined) {
    // The snippet starts CONTEXT_CHARS before the token: in the middle, or at the end of the text.
    const start = cutAfter !== undefined ? text.indexOf(snippet) : text.length - snippet.length
    return start + CONTEXT_CHARS
  }
  // The snippet starts at offset 0: it ends CONTEXT_CHARS after the token, or is the whole (short) text.
  return cutAfter !== undefined ? snippet.length - CONTEXT_CHARS : Math.max(0, text.indexOf(char))
}
