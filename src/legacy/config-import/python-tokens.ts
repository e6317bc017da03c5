/** One token of a Python source file, as far as a literal reader needs: enough to skip any other statement. */
export type PyToken =
  | { readonly type: 'string'; readonly value: string; readonly line: number }
  | { readonly type: 'number'; readonly value: number; readonly line: number }
  | { readonly type: 'name'; readonly value: string; readonly line: number }
  | { readonly type: 'op'; readonly value: string; readonly line: number }
  | { readonly type: 'newline'; readonly line: number }

/** Python source that is not even tokenizable here (an unterminated string, an f-string, `\N{…}`). */
export class PythonSourceError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

const STRING_START = /^([rRuUbB]{0,2})('''|"""|'|")/
const NUMBER =
  /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?)/
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
}

/** The value of a string literal's body: Python's escapes, or none in a raw string. */
function unescape(body: string, raw: boolean, line: number): string {
  if (raw) return body
  return body.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|[\s\S])/g,
    (_, e: string) => {
      if (/^[xuU]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16))
      if (/^[0-7]/.test(e)) return String.fromCodePoint(parseInt(e, 8))
      if (e.startsWith('N{'))
        throw new PythonSourceError('\\N{…} escapes are not read without --python', line)
      return SIMPLE_ESCAPES[e] ?? `\\${e}`
    },
  )
}

/**
 * Splits Python source into tokens. A NEWLINE token ends each logical line (none inside brackets or after a
 * backslash continuation); comments and indentation are dropped; any other character is an `op`.
 */
export function tokenizePython(source: string): PyToken[] {
  const tokens: PyToken[] = []
  let depth = 0
  let line = 1
  let at = 0
  while (at < source.length) {
    const rest = source.slice(at)
    const c = source[at]!
    if (c === '\n') {
      if (depth === 0 && tokens.at(-1)?.type !== 'newline') tokens.push({ type: 'newline', line })
      line += 1
      at += 1
    } else if (c === '\\' && source[at + 1] === '\n') {
      line += 1
      at += 2
    } else if (/\s/.test(c)) {
      at += 1
    } else if (c === '#') {
      const end = source.indexOf('\n', at)
      at = end === -1 ? source.length : end
    } else if (STRING_START.test(rest)) {
      const [, prefix, quote] = STRING_START.exec(rest)!
      const startLine = line
      let end = at + prefix!.length + quote!.length
      for (;;) {
        if (end >= source.length || (quote!.length === 1 && source[end] === '\n')) {
          throw new PythonSourceError('unterminated string', startLine)
        }
        if (source[end] === '\\') end += 2
        else if (source.startsWith(quote!, end)) break
        else end += 1
      }
      const body = source.slice(at + prefix!.length + quote!.length, end)
      line += body.split('\n').length - 1
      tokens.push({
        type: 'string',
        value: unescape(body, /[rR]/.test(prefix!), startLine),
        line: startLine,
      })
      at = end + quote!.length
    } else if (/[\d.]/.test(c) && NUMBER.test(rest) && rest !== '.' && !/^\.\D/.test(rest)) {
      const text = NUMBER.exec(rest)![0]
      const digits = text.replaceAll('_', '')
      const value = /^0[oObB]/.test(digits)
        ? parseInt(digits.slice(2), /^0[oO]/.test(digits) ? 8 : 2)
        : Number(digits)
      tokens.push({ type: 'number', value, line })
      at += text.length
    } else if (/[A-Za-z_]/.test(c)) {
      const name = /^\w+/.exec(rest)![0]
      if (/^[fF]/.test(name) && /^[fFrR]{1,2}['"]/.test(rest)) {
        throw new PythonSourceError('f-strings are not read without --python', line)
      }
      tokens.push({ type: 'name', value: name, line })
      at += name.length
    } else {
      if ('([{'.includes(c)) depth += 1
      if (')]}'.includes(c)) depth = Math.max(0, depth - 1)
      tokens.push({ type: 'op', value: c, line })
      at += 1
    }
  }
  if (tokens.at(-1)?.type !== 'newline') tokens.push({ type: 'newline', line })
  return tokens
}
