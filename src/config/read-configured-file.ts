import { readFileSync } from 'node:fs'
import { ConfigNotFound } from '../errors.js'

/**
 * The text of a file the configuration names under `key`; throws ConfigNotFound saying which key named it.
 *
 * @example
 * ```ts
 * const pem = readConfiguredFile('/etc/fedmsg/ca.crt', 'trust')
 * ```
 */
export function readConfiguredFile(file: string, key: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigNotFound(
      `cannot read ${file} (from "${key}"): check the path and permissions`,
      {
        cause: error,
      },
    )
  }
}
