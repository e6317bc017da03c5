import { EnvelopeVerifier } from '../crypto/envelope/envelope-verifier.js'
import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'
import type { RejectReason } from '../errors.js'
import type { StoredRow } from '../store/stored-message.js'
import type { CrlTarget } from '../verification/crl-watcher.js'

/**
 * The verdict on one stored row: `ok`, the verifier's reason code, or `row_mismatch` when the envelope
 * verifies but an indexed column (msg_id, timestamp, i, signer, certificate hash) says something else.
 */
export type ArchiveVerdict = 'ok' | RejectReason | 'row_mismatch'

/** Checks one stored row; `setCrls` swaps the CRL set, so a long-running user reloads it with a CrlWatcher. */
export type StoredRowVerifier = ((row: StoredRow) => { verdict: ArchiveVerdict; detail: string }) &
  CrlTarget

/** What an archive verification trusts: as `fedmsg verify`, minus the clock (each message's own time). */
export interface ArchiveTrust {
  /** PEM text or DER of each trust anchor. */
  readonly trustAnchors: readonly (string | Uint8Array)[]
  /** PEM text or DER CRLs: the newest the operator has, whatever their thisUpdate. */
  readonly crls?: readonly (string | Uint8Array)[]
  readonly requireCrls?: boolean
  /** Largest envelope accepted, bytes (the hub's `max_message_bytes`); default the verifier's. */
  readonly maxEnvelopeBytes?: number
}

/**
 * Verifies stored rows as of their own timestamp (docs/protocol.md §4.6): one `EnvelopeVerifier` whose clock
 * is the signed timestamp of the message being checked, with no freshness, replay or routing-policy check and revocation by entry
 * date. The row's topic column is the topic frame, so a changed topic is `topic_mismatch`; the other indexed
 * columns must equal what the verified envelope says, so no column can be changed to move a row in time or
 * pin it on another signer. Throws `CertInvalid`/`CrlInvalid` for unusable anchors or CRLs.
 *
 * @example
 * ```ts
 * const verify = createStoredRowVerifier({ trustAnchors: [readFileSync('ca.crt', 'utf8')] })
 * const { verdict, detail } = verify(row)
 * ```
 */
export function createStoredRowVerifier(trust: ArchiveTrust): StoredRowVerifier {
  const verifier = new EnvelopeVerifier({
    ...trust,
    asOfMessageTime: true,
    maxAgeMs: null,
    clockSkewMs: 0,
    replayWindowMs: null,
  })
  const check = (row: StoredRow): { verdict: ArchiveVerdict; detail: string } => {
    const result = verifier.verify(row.topic, row.envelope)
    if (!result.ok) return { verdict: result.reason, detail: result.detail }
    const column = mismatchedColumn(row, result.message)
    return column === undefined
      ? { verdict: 'ok', detail: '' }
      : { verdict: 'row_mismatch', detail: `column ${column} differs from the signed envelope` }
  }
  return Object.assign(check, { setCrls: (crls: readonly string[]) => verifier.setCrls(crls) })
}

function mismatchedColumn(row: StoredRow, message: VerifiedMessage): string | undefined {
  const signed: Record<string, unknown> = {
    msg_id: message.msgId,
    timestamp: message.timestamp,
    i: message.i,
    signer: message.signer.name,
    cert_sha256: message.signer.fingerprint,
  }
  const stored: Record<string, unknown> = {
    msg_id: row.msgId,
    timestamp: row.timestamp,
    i: row.i,
    signer: row.signer,
    cert_sha256: row.certSha256,
  }
  return Object.keys(signed).find((column) => signed[column] !== stored[column])
}
