import type { StoredRow } from './stored-message.js'

/** The columns every query selects, in one place for both backends. */
export const ROW_COLUMNS =
  'id, msg_id, topic, signer, timestamp, i, cert_sha256, received_at, envelope'

/** A database row as both drivers return it (PostgreSQL's BIGINTs arrive as strings). */
export interface RowRecord {
  readonly id: number | string
  readonly msg_id: string
  readonly topic: string
  readonly signer: string
  readonly timestamp: number | string
  readonly i: number | string
  readonly cert_sha256: string
  readonly received_at: number | string
  readonly envelope: string
}

/** The typed row of a database record. */
export function rowOf(record: RowRecord): StoredRow {
  return {
    id: Number(record.id),
    msgId: record.msg_id,
    topic: record.topic,
    signer: record.signer,
    timestamp: Number(record.timestamp),
    i: Number(record.i),
    certSha256: record.cert_sha256,
    receivedAt: Number(record.received_at),
    envelope: record.envelope,
  }
}
