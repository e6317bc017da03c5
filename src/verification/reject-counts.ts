import { REJECT_REASONS, type RejectReason } from '../errors.js'

/** Rejected messages by reason code; every reason is present, so dashboards see zeros too. */
export type RejectCounts = Record<RejectReason, number>

/** A count of zero for every reason code. */
export function emptyRejectCounts(): RejectCounts {
  return Object.fromEntries(REJECT_REASONS.map((reason) => [reason, 0])) as RejectCounts
}
