import type { Rejected, SignerIdentity } from '../crypto/envelope/verified-message.js'
import type { PyObject } from './python-json.js'

/** A legacy (Python fedmsg) message that passed every legacy check. */
export interface LegacyVerifiedMessage {
  readonly topic: string
  /** The whole message as Python read it, `signature` and `certificate` included (deeply frozen). */
  readonly message: PyObject
  /** Who signed it: the legacy certificate's first CN, serial, SHA-256 and issuer. */
  readonly signer: SignerIdentity
  /** The legacy `msg_id`, when the message has a string one. */
  readonly msgId: string | undefined
  /** The frame exactly as it travelled, and its SHA-256 (lower-case hex): what proves the original signer. */
  readonly frame: Buffer
  readonly frameSha256: string
}

/** The legacy verifier's answer: a verified legacy message or exactly one reason code. */
export type LegacyVerifyResult =
  { readonly ok: true; readonly message: LegacyVerifiedMessage } | Rejected
