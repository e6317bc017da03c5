/**
 * The one registry of fedmsg's failure codes.
 *
 * Two kinds, never mixed:
 * - Untrusted input (a message off the wire) is rejected with a {@link RejectReason}, returned, never thrown
 *   across the verifier's boundary.
 * - Operational failures (config, CA, keys, sockets, CLI usage) throw a {@link FedmsgError} subclass with a
 *   stable `code`. The code is API; the message is not.
 */

/**
 * Every reason a message can be rejected for, in the order the verifier checks them
 * (docs/protocol.md, "Verification order"). `schema_invalid` is the hub's, after the envelope verified.
 */
export const REJECT_REASONS = [
  'oversize',
  'malformed',
  'unsupported_version',
  'unsupported_alg',
  'topic_mismatch',
  'stale',
  'future',
  'untrusted_chain',
  'bad_cert_usage',
  'cert_expired',
  'cert_not_yet_valid',
  'revoked',
  'crl_unavailable',
  'alg_mismatch',
  'policy_denied',
  'bad_signature',
  'replay',
  'schema_invalid',
] as const

export type RejectReason = (typeof REJECT_REASONS)[number]

const REJECT_REASON_SET: ReadonlySet<string> = new Set(REJECT_REASONS)

/** True when `value` is one of the documented reason codes. */
export function isRejectReason(value: unknown): value is RejectReason {
  return typeof value === 'string' && REJECT_REASON_SET.has(value)
}

/**
 * Thrown by a verification step and caught in exactly one place (the verifier), which turns it into a
 * rejection result. Never escapes the verifier.
 */
export class Rejection extends Error {
  readonly reason: RejectReason
  readonly detail: string

  constructor(reason: RejectReason, detail: string) {
    super(`${reason}: ${detail}`)
    this.name = 'Rejection'
    this.reason = reason
    this.detail = detail
  }
}

/** Stable codes of operational errors. */
export const ERROR_CODES = [
  'ERR_FEDMSG_GENERIC',
  'ERR_FEDMSG_CONFIG_INVALID',
  'ERR_FEDMSG_CONFIG_NOT_FOUND',
  'ERR_FEDMSG_KEY_INSECURE',
  'ERR_FEDMSG_KEY_INVALID',
  'ERR_FEDMSG_KEY_PASSPHRASE',
  'ERR_FEDMSG_CERT_INVALID',
  'ERR_FEDMSG_CRL_INVALID',
  'ERR_FEDMSG_CA_EXISTS',
  'ERR_FEDMSG_CA_NOT_FOUND',
  'ERR_FEDMSG_CA_LOCKED',
  'ERR_FEDMSG_CA_WRITE_FAILED',
  'ERR_FEDMSG_DEV_CA_IN_PROD',
  'ERR_FEDMSG_INVALID_TOPIC',
  'ERR_FEDMSG_SCHEMA_INVALID',
  'ERR_FEDMSG_SIGN_FAILED',
  'ERR_FEDMSG_HWM',
  'ERR_FEDMSG_CLOSED',
  'ERR_FEDMSG_ADDRESS_IN_USE',
  'ERR_FEDMSG_USAGE',
  'ERR_FEDMSG_RELAY_REJECTED',
  'ERR_FEDMSG_RELAY_TIMEOUT',
  'ERR_FEDMSG_VERIFIER_UNAVAILABLE',
  'ERR_FEDMSG_STATE_UNAVAILABLE',
  'ERR_FEDMSG_POLICY_DENIED',
  'ERR_FEDMSG_DERIVATION_TOO_DEEP',
] as const

export type FedmsgErrorCode = (typeof ERROR_CODES)[number]

interface FedmsgErrorOptions {
  cause?: unknown
}

/** Base class of every operational error fedmsg throws. `code` is stable; match on it, not on the message. */
export class FedmsgError extends Error {
  readonly code: FedmsgErrorCode = 'ERR_FEDMSG_GENERIC'

  constructor(message: string, options?: FedmsgErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A configuration file or value is wrong. `file` and `key` say where. */
export class ConfigInvalid extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_CONFIG_INVALID'
  readonly file: string | undefined
  readonly key: string | undefined

  constructor(
    message: string,
    where: { file?: string; key?: string } = {},
    options?: FedmsgErrorOptions,
  ) {
    super(message, options)
    this.file = where.file
    this.key = where.key
  }
}

/** A file named by configuration or a flag does not exist. */
export class ConfigNotFound extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_CONFIG_NOT_FOUND'
}

/** A private key file is readable by group or others. */
export class KeyInsecure extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_KEY_INSECURE'
}

/** A private key cannot be read or parsed, or does not fit its certificate. */
export class KeyInvalid extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_KEY_INVALID'
}

/**
 * An encrypted private key did not decrypt with the passphrase given: the passphrase (file) is probably wrong.
 * Apart from {@link KeyInvalid} so that the fix (the passphrase, not the key) is plain from the code.
 */
export class KeyPassphraseWrong extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_KEY_PASSPHRASE'
}

/** A certificate file (trust anchor, signing certificate) cannot be used. */
export class CertInvalid extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_CERT_INVALID'
}

/** A CRL file cannot be parsed or is not signed by its issuer. */
export class CrlInvalid extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_CRL_INVALID'
}

/** `ca init` found an existing CA and `--force` was not given. */
export class CaExists extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_CA_EXISTS'
}

/** The CA directory does not hold a CA. */
export class CaNotFound extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_CA_NOT_FOUND'
}

/** Another process holds the CA's lock for too long. */
export class CaLocked extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_CA_LOCKED'
}

/**
 * A CA command could not write a file (disk full, permission denied, directory missing). The operation was
 * undone: the CA is as it was before the command. `path` is the file or directory, `errno` the system code.
 */
export class CaWriteFailed extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_CA_WRITE_FAILED'
  readonly path: string
  readonly errno: string

  constructor(path: string, errno: string, message: string, options?: FedmsgErrorOptions) {
    super(message, options)
    this.path = path
    this.errno = errno
  }
}

/** The bundled dev CA was configured as a trust anchor with environment `prod`. */
export class DevCaInProd extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_DEV_CA_IN_PROD'
}

/** A topic does not follow the topic grammar. */
export class InvalidTopic extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_INVALID_TOPIC'
  readonly topic: string

  constructor(topic: string, message: string) {
    super(message)
    this.topic = topic
  }
}

/** A body does not match the JSON Schema bound to its topic. */
export class SchemaInvalid extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_SCHEMA_INVALID'
  readonly topic: string

  constructor(topic: string, message: string) {
    super(message)
    this.topic = topic
  }
}

/** Signing an envelope failed (key and algorithm do not fit, body not serializable). */
export class SignFailed extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_SIGN_FAILED'
}

/** A publish could not be queued because the socket is at its high-water mark and the mode is `throw`. */
export class HighWaterMark extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_HWM'
}

/** The publisher, hub or relay was used after `close()`. */
export class Closed extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_CLOSED'
}

/** A bind failed because the address is taken. */
export class AddressInUse extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_ADDRESS_IN_USE'
  readonly address: string

  constructor(address: string, options?: FedmsgErrorOptions) {
    super(
      `address ${address} is already in use: stop the other process or pick another port`,
      options,
    )
    this.address = address
  }
}

/** The command line is wrong. */
export class UsageError extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_USAGE'
}

/** The relay refused a message a publisher handed it; `reason` is the relay verifier's reason code. */
export class RelayRejected extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_RELAY_REJECTED'
  readonly reason: RejectReason
  readonly topic: string

  constructor(topic: string, reason: RejectReason) {
    super(
      `the relay rejected ${topic} (${reason}): check the publisher's certificate, clock and the routing policy`,
    )
    this.topic = topic
    this.reason = reason
  }
}

/**
 * The relay did not acknowledge a message in time. The message may still arrive (it can be queued or in
 * flight): the outcome is unknown, not "lost".
 */
export class RelayTimeout extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_RELAY_TIMEOUT'
  readonly topic: string
  /** The relay's inbound address (`relay_inbound`) that did not answer. */
  readonly address: string

  constructor(topic: string, timeoutMs: number, address: string) {
    super(
      `no acknowledgement from the relay at ${address} for ${topic} within ${timeoutMs} ms: check that a relay runs there (relay_inbound)`,
    )
    this.topic = topic
    this.address = address
  }
}

/** The worker threads that verify messages for a hub could not be started. */
export class VerifierUnavailable extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_VERIFIER_UNAVAILABLE'
}

/**
 * A component's state directory (`state_dir`: the replay journal) cannot be created, read or written. A hub
 * that cannot record what it accepted does not act on it: fix the directory's permissions or free space.
 */
export class StateUnavailable extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_STATE_UNAVAILABLE'
}

/**
 * The routing policy does not let `signer` publish on `topic`: refused at the source, since every hub would
 * reject the message as `policy_denied`. Add a rule for the signer (`fedmsg policy can SIGNER TOPIC` says
 * which rule decides) or publish on a topic it may.
 */
export class PolicyDenied extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_POLICY_DENIED'
  readonly topic: string
  readonly signer: string

  constructor(topic: string, signer: string) {
    super(
      `the routing policy does not let "${signer}" publish on ${topic}: add a rule allowing it, or publish on a topic it may`,
    )
    this.topic = topic
    this.signer = signer
  }
}

/**
 * A consumer tried to publish a message derived from `derivedFrom`, itself derived `depth - 1` times, past the
 * hub's `derived.max_depth`: the bound that keeps consumers deriving from each other's messages from looping.
 */
export class DerivationTooDeep extends FedmsgError {
  override readonly code = 'ERR_FEDMSG_DERIVATION_TOO_DEEP'
  readonly topic: string
  readonly derivedFrom: string
  readonly depth: number

  constructor(topic: string, derivedFrom: string, depth: number, maxDepth: number) {
    super(
      `${topic} would be derivation ${depth} from an original message (through ${derivedFrom}), past derived.max_depth ${maxDepth}: skip derived messages (headers.derived_from) or raise max_depth`,
    )
    this.topic = topic
    this.derivedFrom = derivedFrom
    this.depth = depth
  }
}

export type AnyFedmsgError =
  | ConfigInvalid
  | ConfigNotFound
  | KeyInsecure
  | KeyInvalid
  | KeyPassphraseWrong
  | CertInvalid
  | CrlInvalid
  | CaExists
  | CaNotFound
  | CaLocked
  | CaWriteFailed
  | DevCaInProd
  | InvalidTopic
  | SchemaInvalid
  | SignFailed
  | HighWaterMark
  | Closed
  | AddressInUse
  | UsageError
  | RelayRejected
  | RelayTimeout
  | VerifierUnavailable
  | StateUnavailable
  | PolicyDenied
  | DerivationTooDeep
