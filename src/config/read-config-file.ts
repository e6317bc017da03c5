import { readFileSync } from 'node:fs'
import { isAbsolute, relative } from 'node:path'
import { ConfigInvalid, ConfigNotFound } from '../errors.js'
import { locateJsonError } from './json-error-position.js'
import type { ConfigOrigin } from './validate-config.js'

/** A config file: its absolute path and how messages name it. */
export type ConfigFileOrigin = ConfigOrigin & { readonly file: string }

/** How messages name a config file: relative to `cwd` when it lies below it, else absolute. */
export function originOf(file: string, cwd: string): ConfigFileOrigin {
  const rel = relative(cwd, file)
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
  return { file, display: inside ? rel : file }
}

/**
 * The parsed JSON of one config file. Throws {@link ConfigInvalid} with the line and column of a syntax error,
 * or {@link ConfigNotFound} when the file is gone.
 */
export function readConfigFile(origin: ConfigFileOrigin): unknown {
  let text: string
  try {
    text = readFileSync(origin.file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigNotFound(`${origin.display}: config file does not exist`, { cause: error })
    }
    throw new ConfigInvalid(
      `${origin.display}: cannot read config file (${(error as Error).message}): check its permissions`,
      { file: origin.file },
      { cause: error },
    )
  }
  // A UTF-8 byte order mark is not JSON, but editors write it.
  if (text.startsWith('\uFEFF')) text = text.slice(1)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
    const { line, column, reason } = locateJsonError(text, error.message)
    throw new ConfigInvalid(
      `${origin.display}: invalid JSON at line ${line} column ${column}: ${reason}`,
      { file: origin.file },
      { cause: error },
    )
  }
}
