import { createHash } from 'node:crypto'
import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'
import type { LegacyVerifiedMessage } from './legacy-message.js'

/**
 * The `headers` the reverse bridge writes into each legacy message: who signed it on fedmsg/1, that
 * certificate's SHA-256, its fedmsg/1 msg_id and the SHA-256 of its envelope. Signed with the rest of the legacy
 * message, so only a holder of a legacy certificate can write them. Python fedmsg keeps a non-empty `headers`
 * in what it validates (fedmsg/crypto/utils.py drops only an empty one).
 */
export interface Fedmsg1Provenance {
  readonly fedmsg1_signer: string
  readonly fedmsg1_cert_sha256: string
  readonly fedmsg1_msg_id: string
  readonly fedmsg1_sha256: string
}

/**
 * The legacy message (before LegacySigner adds `crypto`, `signature` and `certificate`) for a verified fedmsg/1
 * message: Python fedmsg's fields (`topic`, `msg`, `timestamp` in seconds, `msg_id`, `i`, `username`, as
 * `FedMsgContext.publish` writes them) and the fedmsg/1 provenance in `headers`.
 */
export function legacyMessageOf(
  message: VerifiedMessage,
  i: number,
  username: string,
): Record<string, unknown> {
  const headers: Fedmsg1Provenance = {
    fedmsg1_signer: message.signer.name,
    fedmsg1_cert_sha256: message.signer.fingerprint,
    fedmsg1_msg_id: message.msgId,
    fedmsg1_sha256: createHash('sha256').update(message.envelope, 'utf8').digest('hex'),
  }
  return {
    topic: message.topic,
    msg: message.body,
    timestamp: Math.floor(message.timestamp / 1000),
    msg_id: message.msgId,
    i,
    username,
    headers,
  }
}

/**
 * True for a fedmsg/1 message the forward bridge carried over from the legacy bus (it has the `legacy_sha256`
 * provenance header): the reverse bridge never sends one back. Only a verified fedmsg/1 signer can set the
 * header, and setting it only keeps that signer's own message on fedmsg/1.
 */
export function cameFromLegacy(message: VerifiedMessage): boolean {
  return message.headers['legacy_sha256'] !== undefined
}

/**
 * True for a verified legacy message the reverse bridge sent (its signed `headers` has `fedmsg1_sha256`): the
 * forward bridge never carries one back onto fedmsg/1, where the original already is.
 */
export function cameFromFedmsg1(message: LegacyVerifiedMessage): boolean {
  const headers = message.message['headers']
  return (
    typeof headers === 'object' &&
    headers !== null &&
    !Array.isArray(headers) &&
    typeof (headers as Record<string, unknown>)['fedmsg1_sha256'] === 'string'
  )
}
