import { Rejection } from '../errors.js'

/**
 * Python's `base64.b64decode(text)` for what Python fedmsg writes: the characters outside the base64 alphabet
 * (its newlines every 76 characters) are dropped first, then the rest must be whole, padded base64. Anything
 * looser that Python might still read is refused (`malformed`): fail closed.
 *
 * @example
 * ```ts
 * decodeLegacyBase64('aGVs\nbG8=\n', 'signature') // bytes of "hello"
 * ```
 */
export function decodeLegacyBase64(text: string, what: string): Buffer {
  const compact = text.replace(/[^A-Za-z0-9+/=]/g, '')
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new Rejection('malformed', `${what} is not padded base64`)
  }
  return Buffer.from(compact, 'base64')
}
