import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'
import type { MessageSummary } from '../meta/message-summary.js'

/** One row of the message table: the envelope exactly as received, plus the columns queries filter on. */
export interface StoredMessage {
  readonly msgId: string
  readonly topic: string
  /** The leaf certificate's subject CN. */
  readonly signer: string
  /** The envelope's timestamp, ms since the epoch. */
  readonly timestamp: number
  readonly i: number
  /** SHA-256 of the leaf certificate's DER, lower-case hex. */
  readonly certSha256: string
  /** When this store received it, ms since the epoch. */
  readonly receivedAt: number
  /** The envelope frame's text, byte for byte: what `fedmsg archive verify` and API clients re-verify. */
  readonly envelope: string
  /** Accounts the message concerns, from its summary (src/meta); none when stored without one. */
  readonly users?: readonly string[]
  /** Packages the message concerns, from its summary. */
  readonly packages?: readonly string[]
}

/** A row read back, with its keyset position. */
export interface StoredRow extends StoredMessage {
  /** Insertion order within the store; with `timestamp`, the keyset of paging. */
  readonly id: number
}

/**
 * The row the store writes for a verified message, with the users and packages of its summary.
 *
 * @example
 * ```ts
 * const row = storedMessageOf(message, Date.now(), summarize(message))
 * ```
 */
export function storedMessageOf(
  message: VerifiedMessage,
  receivedAt: number,
  summary?: Pick<MessageSummary, 'usernames' | 'packages'>,
): StoredMessage {
  return {
    users: summary?.usernames ?? [],
    packages: summary?.packages ?? [],
    msgId: message.msgId,
    topic: message.topic,
    signer: message.signer.name,
    timestamp: message.timestamp,
    i: message.i,
    certSha256: message.signer.fingerprint,
    receivedAt,
    envelope: message.envelope,
  }
}
