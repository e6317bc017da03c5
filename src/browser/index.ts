// The browser entry point (`fedmsg/browser`): nothing here imports Node built-ins.
export { BrowserVerifier } from './browser-verifier.js'
export type {
  BrowserVerifierOptions,
  BrowserVerifiedMessage,
  BrowserVerifyResult,
} from './browser-verifier.js'
export { REJECT_REASONS } from '../errors.js'
export type { RejectReason } from '../errors.js'
