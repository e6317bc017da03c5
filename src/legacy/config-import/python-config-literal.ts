import { ConfigInvalid } from '../../errors.js'
import { PythonSourceError, tokenizePython, type PyToken } from './python-tokens.js'

type Literal = null | boolean | number | string | Literal[] | { [key: string]: Literal }

const CONSTANTS: Readonly<Record<string, Literal>> = { True: true, False: false, None: null }
// A statement starting with one of these makes what follows conditional: literal reading refuses the file.
const COMPOUND = new Set([
  'if',
  'elif',
  'else',
  'for',
  'while',
  'def',
  'class',
  'with',
  'try',
  'except',
  'finally',
  'match',
])

/** Reads one literal expression from `tokens` at `at`: `{…}`, `dict(k=…)`, lists, tuples, strings, numbers. */
class LiteralReader {
  #at: number
  constructor(
    readonly tokens: readonly PyToken[],
    start: number,
    readonly scope: ReadonlyMap<string, Literal>,
  ) {
    this.#at = start
  }

  get position(): number {
    return this.#at
  }

  #peek(): PyToken {
    return this.tokens[this.#at]!
  }

  #next(): PyToken {
    return this.tokens[this.#at++]!
  }

  #fail(token: PyToken, what: string): never {
    throw new PythonSourceError(`${what} is not a literal`, token.line)
  }

  #isOp(value: string): boolean {
    const token = this.#peek()
    return token.type === 'op' && token.value === value
  }

  #expect(value: string): void {
    const token = this.#next()
    if (token.type !== 'op' || token.value !== value) this.#fail(token, `"${describe(token)}"`)
  }

  /** Items up to `close`, each read by `item`, commas between (a trailing one allowed). */
  #items(close: string, item: () => void): void {
    while (!this.#isOp(close)) {
      item()
      if (!this.#isOp(',')) break
      this.#next()
    }
    this.#expect(close)
  }

  read(): Literal {
    const token = this.#next()
    if (token.type === 'string') {
      let text = token.value
      while (this.#peek().type === 'string') text += (this.#next() as { value: string }).value
      return text
    }
    if (token.type === 'number') return token.value
    if (token.type === 'op' && token.value === '-' && this.#peek().type === 'number') {
      return -(this.#next() as { value: number }).value
    }
    if (token.type === 'name' && token.value in CONSTANTS) return CONSTANTS[token.value]!
    if (token.type === 'name' && this.scope.has(token.value) && !this.#isOp('(')) {
      return this.scope.get(token.value)!
    }
    if (token.type === 'name' && token.value === 'dict' && this.#isOp('(')) {
      this.#next()
      const object: Record<string, Literal> = {}
      this.#items(')', () => {
        const key = this.#next()
        if (key.type !== 'name') this.#fail(key, `"${describe(key)}"`)
        this.#expect('=')
        define(object, key.value, this.read())
      })
      return object
    }
    if (token.type === 'op' && token.value === '{') {
      const object: Record<string, Literal> = {}
      this.#items('}', () => {
        const key = this.read()
        if (typeof key !== 'string') this.#fail(token, 'a dict key other than a string')
        this.#expect(':')
        define(object, key, this.read())
      })
      return object
    }
    if (token.type === 'op' && (token.value === '[' || token.value === '(')) {
      const list: Literal[] = []
      this.#items(token.value === '[' ? ']' : ')', () => list.push(this.read()))
      return list
    }
    return this.#fail(token, `"${describe(token)}"`)
  }
}

function describe(token: PyToken): string {
  return token.type === 'newline' ? 'end of line' : String(token.value)
}

// defineProperty: a key named __proto__ is data, not the prototype.
function define(object: Record<string, Literal>, key: string, value: Literal): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

/** `NAME = literal` at the top level: the literal, or undefined for any other statement. */
function assignedLiteral(
  tokens: readonly PyToken[],
  start: number,
  end: number,
  scope: ReadonlyMap<string, Literal>,
): Literal | undefined {
  const second = tokens[start + 1]
  if (
    second?.type !== 'op' ||
    second.value !== '=' ||
    (tokens[start + 2]?.type === 'op' && (tokens[start + 2] as { value: string }).value === '=')
  )
    return undefined
  try {
    const reader = new LiteralReader(tokens, start + 2, scope)
    const value = reader.read()
    return reader.position === end ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * The `config` dict of one fedmsg.d file, read without running Python: the file's statements that assign
 * `config = {…}` or `config = dict(…)` must be literals (strings, numbers, True/False/None, lists, tuples,
 * dicts, and names earlier assigned such a literal at the top level, as logging.py's `bare_format`); other
 * statements (`import os`, `here = os.getcwd()`) are skipped. A `config` built by code
 * (`config['x'] = …`, `"%s" % host`, a comprehension) is refused with the file and line: run the import with
 * `--python` to let Python build it, as Python fedmsg does.
 */
export function readPythonConfigLiteral(source: string, file: string): Record<string, unknown> {
  try {
    const tokens = tokenizePython(source)
    const scope = new Map<string, Literal>()
    let config: Literal | undefined
    let start = 0
    while (start < tokens.length) {
      let end = start
      while (tokens[end]!.type !== 'newline') end += 1
      const first = tokens[start]!
      if (first.type === 'name' && COMPOUND.has(first.value)) {
        throw new PythonSourceError(`"${first.value}" makes the config depend on code`, first.line)
      }
      const namesConfig = tokens
        .slice(start, end)
        .some((token) => token.type === 'name' && token.value === 'config')
      if (namesConfig) {
        const second = tokens[start + 1]
        if (
          first.type !== 'name' ||
          first.value !== 'config' ||
          second?.type !== 'op' ||
          second.value !== '='
        ) {
          throw new PythonSourceError('config is changed by code', first.line)
        }
        const reader = new LiteralReader(tokens, start + 2, scope)
        config = reader.read()
        if (reader.position !== end)
          throw new PythonSourceError('config is not one literal', first.line)
      } else if (first.type === 'name') {
        const value = assignedLiteral(tokens, start, end, scope)
        // A name assigned anything else (a call, an expression) is unknown from here on.
        if (value === undefined) scope.delete(first.value)
        else scope.set(first.value, value)
      }
      start = end + 1
    }
    if (
      config === undefined ||
      typeof config !== 'object' ||
      config === null ||
      Array.isArray(config)
    ) {
      throw new PythonSourceError('no config dict is assigned', 1)
    }
    return config
  } catch (error) {
    if (!(error instanceof PythonSourceError)) throw error
    throw new ConfigInvalid(
      `${file}:${error.line}: ${error.message}: run fedmsg config import-legacy with --python to let Python read it`,
      { file },
      { cause: error },
    )
  }
}
