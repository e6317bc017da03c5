import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** A `file://` URL with its line (and column) in a stack trace: `file:///srv/c.mjs:3` or `(file:///x.js:2:7)`. */
const FILE_LOCATION = /(file:\/\/[^\s():]+):(\d+)/

/**
 * What went wrong importing the module at `path`, for the person who wrote it: the error (`SyntaxError:
 * Unexpected token '*'`, the package that cannot be found) and, when it can be known, the file and line.
 *
 * Node gives no location for a syntax error in an imported module (the loader's `import()` rejects with the
 * bare SyntaxError); `node --check` on the source reports the line, so this runs it, on this error path only.
 */
export function describeImportError(path: string, error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const summary = `${error.name}: ${error.message}`
  if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') {
    return `${summary} (a missing dependency: npm install it where the module resolves its imports, or fix the import)`
  }
  const where =
    locationInStack(error.stack) ??
    (error instanceof SyntaxError ? syntaxErrorLine(path) : undefined)
  return where === undefined ? summary : `${summary} at ${where}`
}

function locationInStack(stack: string | undefined): string | undefined {
  const match = FILE_LOCATION.exec(stack ?? '')
  return match === null ? undefined : `${fileURLToPath(match[1]!)}:${match[2]}`
}

/** `path:LINE` of the first syntax error in the file's source, parsed as an ES module; undefined if none. */
function syntaxErrorLine(path: string): string | undefined {
  let source: Buffer
  try {
    source = readFileSync(path)
  } catch {
    return undefined
  }
  const check = spawnSync(process.execPath, ['--input-type=module', '--check'], {
    input: source,
    encoding: 'utf8',
    timeout: 10_000,
  })
  const line = /^\[stdin\]:(\d+)/.exec(check.stderr ?? '')?.[1]
  return line === undefined ? undefined : `${path}:${line}`
}
