export * as errors from './errors.js'
export { REJECT_REASONS, isRejectReason } from './errors.js'
export type { RejectReason, FedmsgErrorCode, AnyFedmsgError } from './errors.js'
export { FEDMSG_MESSAGE_SIGNING_EKU } from './crypto/eku.js'
