import { Rejection } from '../errors.js'

/**
 * Decodes standard padded base64 in its one canonical spelling, else throws `Rejection('malformed')`: the
 * browser twin of src/crypto/base64.ts (re-encoding must give back the input, docs/protocol.md §2).
 */
export function decodeBase64Strict(text: string, what: string): Uint8Array<ArrayBuffer> {
  let binary: string
  try {
    binary = atob(text)
  } catch {
    throw new Rejection('malformed', `${what} is not canonical standard padded base64`)
  }
  if (btoa(binary) !== text) {
    throw new Rejection('malformed', `${what} is not canonical standard padded base64`)
  }
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
