/**
 * `expect(result).toRejectWith(reason)`: the verifier's answer is a rejection with exactly that reason code
 * (sigstore `packages/jest/src/matchers/toThrowWithCode.ts`). Import this module once per test file.
 */
import { expect } from 'vitest'
import type { VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import type { RejectReason } from '../../src/errors.js'

declare module 'vitest' {
  // The type parameter must match vitest's own declaration of Matchers exactly.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Matchers<T = any> {
    toRejectWith(reason: RejectReason): T
  }
}

expect.extend({
  toRejectWith(received: VerifyResult, reason: RejectReason) {
    const actual = received.ok ? 'accepted' : `${received.reason} (${received.detail})`
    return {
      pass: !received.ok && received.reason === reason,
      message: () =>
        this.isNot
          ? `expected the message not to be rejected with ${reason}`
          : `expected rejection with ${reason}, got ${actual}`,
    }
  },
})
