import { Rejection } from '../errors.js'

/**
 * Decodes standard padded base64 (RFC 4648 §4) that is in its one canonical spelling, else throws
 * `Rejection('malformed')`.
 *
 * `Buffer.from(text, 'base64')` skips characters it does not know, accepts the URL-safe alphabet, missing
 * padding and non-zero pad bits; re-encoding gives the canonical spelling, so comparing it with the input
 * refuses all of those (docs/protocol.md §2).
 *
 * @example
 * ```ts
 * decodeBase64Strict('aGk=', 'signature') // bytes of "hi"
 * decodeBase64Strict('aGk', 'signature') // throws Rejection('malformed')
 * ```
 */
export function decodeBase64Strict(text: string, what: string): Buffer {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text) {
    throw new Rejection('malformed', `${what} is not canonical standard padded base64`)
  }
  return bytes
}
