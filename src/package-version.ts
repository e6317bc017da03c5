import { readFileSync } from 'node:fs'

/**
 * The `version` of fedmsg's package.json, which sits one level above both src/ and dist/. Read when asked,
 * not at import time, so that importing fedmsg touches no file.
 *
 * @example
 * ```ts
 * packageVersion() // '0.1.0'
 * ```
 */
export function packageVersion(): string {
  const manifest: unknown = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  )
  return (manifest as { version: string }).version
}
