/**
 * What an attacker can build without the verifier: envelopes with any members, signed by any key under any
 * `alg` label, and edits of captured frames that keep the old signature. Built with the library's own JCS and
 * signing primitives, so the only thing wrong with each frame is the fault a case puts in.
 */
import { randomUUID, type KeyObject } from 'node:crypto'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import { signBytes } from '../../src/crypto/primitives.js'
import type { Alg } from '../../src/crypto/envelope/verified-message.js'

export type Members = Record<string, unknown>

export const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'
export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
/** `<year>-<uuid v4>`; a timestamp beyond year 9999 (or beyond Date) gets 9999, the last 4-digit year. */
export function msgIdAt(timestamp: number): string {
  const year = new Date(timestamp).getUTCFullYear()
  return `${Number.isInteger(year) && year <= 9999 ? year : 9999}-${randomUUID()}`
}

/** The members of a healthy envelope stamped `timestamp` carrying `x5c`, without `signature`. */
export function envelopeMembers(timestamp: number, x5c: readonly Uint8Array[]): Members {
  return {
    v: 'fedmsg/1',
    topic: TOPIC,
    msg: { update: 'bodhi-7.2.1-1.fc40', agent: 'lmacken', karma: 3 },
    msg_id: msgIdAt(timestamp),
    timestamp,
    i: 1,
    headers: { trace: 'abc' },
    alg: 'ES256',
    x5c: x5c.map(b64),
  }
}

/**
 * Signs the JCS of `members` (which must not hold `signature`) with `key` as `signAs` and returns the frame.
 * `signature` replaces the honest signature bytes when an attack needs other ones.
 */
export function signedFrame(
  members: Members,
  key: KeyObject,
  signAs: Alg = 'ES256',
  signature?: (honest: Buffer, signingInput: Buffer) => Uint8Array,
): Buffer {
  const signingInput = canonicalBytes(members)
  const honest = signBytes(signAs, key, signingInput)
  const bytes = signature === undefined ? honest : signature(honest, signingInput)
  return canonicalBytes({ ...members, signature: b64(bytes) })
}

/** Parses a frame, lets `edit` change the envelope, and serializes it canonically: the signature is kept. */
export function editFrame(frame: Uint8Array | string, edit: (envelope: Members) => void): Buffer {
  const envelope = JSON.parse(Buffer.from(frame).toString('utf8')) as Members
  edit(envelope)
  return canonicalBytes(envelope)
}

/** The members of a captured frame without its signature: what a re-signer starts from. */
export function unsignedMembers(frame: Uint8Array | string): Members {
  const members = JSON.parse(Buffer.from(frame).toString('utf8')) as Members
  delete members.signature
  return members
}

/** The signature bytes of a frame. */
export const signatureOf = (frame: Uint8Array | string): Buffer =>
  Buffer.from(
    (JSON.parse(Buffer.from(frame).toString('utf8')) as { signature: string }).signature,
    'base64',
  )

/** The frame with its signature replaced by `bytes`. */
export const withSignature = (frame: Uint8Array | string, bytes: Uint8Array): Buffer =>
  editFrame(frame, (envelope) => void (envelope.signature = b64(bytes)))

/** Replaces the first occurrence of `from` in the frame's bytes with `to` (a spelling-level edit). */
export function replaceBytes(frame: Uint8Array, from: string, to: string | Uint8Array): Buffer {
  const bytes = Buffer.from(frame)
  const at = bytes.indexOf(from)
  if (at < 0) throw new Error(`${from} is not in the frame`)
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(to), bytes.subarray(at + from.length)])
}
