/** Shared helpers of the chain validator tests: run a check and name the reason it gave. */
import {
  ChainValidator,
  type ChainValidatorOptions,
} from '../../src/crypto/chain/chain-validator.js'
import type { CheckInstant } from '../../src/crypto/chain/validity-period.js'
import { Rejection, type RejectReason } from '../../src/errors.js'
import type { ChainFixture } from '../fixtures/pki.js'

/** The clock skew the tests tolerate at the timestamp check. */
export const SKEW = 30_000

/** A check instant: `now` (default the real clock) and the message timestamp (default `now`). */
export const instant = (now = Date.now(), timestamp = now): CheckInstant => ({
  now,
  timestamp,
  skewMs: SKEW,
})

/** The reason `run` is rejected with, or 'accepted'; anything but a Rejection propagates. */
export function reasonOf(run: () => unknown): RejectReason | 'accepted' {
  try {
    run()
    return 'accepted'
  } catch (error) {
    if (error instanceof Rejection) return error.reason
    throw error
  }
}

/** A validator configured with the fixture's anchors and CRLs (and `options`). */
export const validatorFor = (fixture: ChainFixture, options: Partial<ChainValidatorOptions> = {}) =>
  new ChainValidator({ trustAnchors: fixture.anchors, crls: fixture.crls, ...options })

/** What a fresh validator for `fixture` says about its x5c at `at`. */
export const check = (
  fixture: ChainFixture,
  options?: Partial<ChainValidatorOptions>,
  at = instant(),
): RejectReason | 'accepted' =>
  reasonOf(() => validatorFor(fixture, options).validate(fixture.x5c, at))
