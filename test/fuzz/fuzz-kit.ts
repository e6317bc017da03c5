/**
 * Shared setup of the fuzz properties: how many runs (FEDMSG_FUZZ_RUNS, default 300), which seed (fixed in CI,
 * random when more runs are asked for unless FEDMSG_FUZZ_SEED pins it), the healthy PKI and frame every
 * property starts from, and the one verdict check all of them share.
 *
 *   npx vitest run test/fuzz                          # CI: 300 runs per property, fixed seed
 *   npm run fuzz                                      # 150 000 runs per property (1 050 000 inputs), random seed
 *   FEDMSG_FUZZ_SEED=42 FEDMSG_FUZZ_RUNS=5000 npx vitest run test/fuzz   # replay a reported seed
 */
import { appendFileSync } from 'node:fs'
import fc from 'fast-check'
import { expect } from 'vitest'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import { isRejectReason } from '../../src/errors.js'
import { makePki, type Pki } from '../fixtures/pki.js'

const CI_RUNS = 300
const CI_SEED = 20_240_607

export const RUNS = Number(process.env.FEDMSG_FUZZ_RUNS ?? CI_RUNS)
const explicitSeed = process.env.FEDMSG_FUZZ_SEED
const SEED =
  explicitSeed !== undefined
    ? Number(explicitSeed)
    : RUNS === CI_RUNS
      ? CI_SEED
      : Math.floor(Math.random() * 2 ** 31)

/** fast-check parameters of every property; a failure report names the seed to replay it with. */
export const FUZZ_PARAMETERS: fc.Parameters<unknown> = { numRuns: RUNS, seed: SEED }

/**
 * A test budget that grows with the runs (determinism builds two verifiers per run), never under 30 s. 100 ms a
 * run, not the 10–20 an idle core needs: `npm run fuzz` is run niced on shared machines, where a tighter budget
 * stopped a clean 150 000-run property at its deadline.
 */
export const FUZZ_TIMEOUT_MS = Math.max(30_000, RUNS * 100)

/** The verifiers' fixed clock; the PKI is valid from yesterday for a year, so it is valid now. */
export const NOW = Date.now()
export const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'

/** A verifier with the fixed clock; replay off unless asked, so one instance can judge many inputs. */
export function verifierFor(pki: Pki, options: { replay?: boolean } = {}): EnvelopeVerifier {
  return new EnvelopeVerifier({
    trustAnchors: pki.anchors,
    crls: pki.crls,
    now: () => NOW,
    maxAgeMs: null,
    ...(options.replay === true ? {} : { replayWindowMs: null }),
  })
}

/** The healthy PKI and one healthy frame, signed by bodhi and stamped NOW. */
export async function healthyFrame(): Promise<{ pki: Pki; frame: Buffer }> {
  const pki = await makePki('es256')
  const signer = new EnvelopeSigner({ certificates: pki.chain, privateKey: pki.leafKey })
  const { frame } = signer.sign({
    topic: TOPIC,
    msg: { update: 'bodhi-7.2.1-1.fc40', builds: ['a', 'b'], karma: -1, note: 'é😀' },
    i: 7,
    headers: { trace: 'abc' },
    timestamp: NOW,
  })
  return { pki, frame }
}

/** What this file's properties verified: inputs, honestly signed envelopes accepted, rejections by reason. */
const tally = { inputs: 0, honestAccepted: 0, reasons: {} as Record<string, number> }

/** Counts one verified input (scripts/fuzz.js adds up every file's counts). */
export function countVerdict(result: { readonly ok: boolean; readonly reason?: string }): void {
  tally.inputs++
  if (result.ok) tally.honestAccepted++
  else tally.reasons[result.reason!] = (tally.reasons[result.reason!] ?? 0) + 1
}

/** This file's rejections so far, by reason: a property checks its inputs reach the checks it aims at. */
export function reasonsSeen(): Readonly<Record<string, number>> {
  return tally.reasons
}

/** Appends this file's counts to $FEDMSG_FUZZ_TALLY, one JSON line, when `npm run fuzz` asks for them. */
export function writeTally(file: string): void {
  const path = process.env.FEDMSG_FUZZ_TALLY
  if (path !== undefined) appendFileSync(path, `${JSON.stringify({ file, ...tally })}\n`)
}

/** Runs `verify` and checks the answer is one documented rejection: the verifier threw nothing, crashed on nothing. */
export function expectOneReason(verify: () => VerifyResult): VerifyResult {
  const result = verify()
  countVerdict(result)
  expect(result.ok).toBe(false)
  if (result.ok) return result
  expect(isRejectReason(result.reason) && result.reason !== 'schema_invalid').toBe(true)
  expect(typeof result.detail).toBe('string')
  // The verifier turns an exception it did not expect into `malformed`; on fuzzed input that is still a bug.
  expect(result.detail).not.toMatch(/^unexpected error/)
  return result
}
