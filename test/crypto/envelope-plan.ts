/**
 * Builds one verification from a healthy plan and a list of faults, each changing one part of it (a frame, an
 * envelope member, the chain, the verifier options). The envelope is signed after the faults, so a changed
 * member still carries a valid signature unless a fault breaks it on purpose.
 */
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { signBytes } from '../../src/crypto/primitives.js'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import type { Alg, VerifyResult } from '../../src/crypto/envelope/verified-message.js'
import type { VerifierOptions } from '../../src/crypto/envelope/verifier-options.js'
import {
  expiredLeaf,
  forgedLeafSignature,
  makePki,
  validChain,
  type ChainBuilder,
  type ChainFixture,
} from '../fixtures/pki.js'

export const NOW = Date.now()
export const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'
export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
export const msgId = () => `${new Date(NOW).getUTCFullYear()}-${randomUUID()}`

/** Everything one verification is made of; a fault changes one part of it. */
export interface Plan {
  options: { -readonly [K in keyof VerifierOptions]?: VerifierOptions[K] }
  chain: ChainBuilder
  envelope: Record<string, unknown>
  signAs: Alg
  afterSign: ((envelope: Record<string, unknown>) => void)[]
  rewriteFrame: ((frame: Buffer) => Buffer)[]
  topicFrame?: string | Buffer
}

export type Fault = (plan: Plan) => void

function basePlan(): Plan {
  return {
    options: {},
    chain: validChain,
    envelope: {
      v: 'fedmsg/1',
      topic: TOPIC,
      msg: { update: 'bodhi-7.2.1-1.fc40', agent: 'lmacken', n: 0 },
      msg_id: msgId(),
      timestamp: NOW,
      i: 1,
      headers: { 'content-type': 'application/json' },
      alg: 'ES256',
    },
    signAs: 'ES256',
    afterSign: [],
    rewriteFrame: [],
  }
}

/** Signs the planned envelope (with the chain's leaf key) and returns a verifier and the two frames. */
export async function build(...faults: Fault[]) {
  const plan = basePlan()
  for (const fault of faults) fault(plan)
  const fixture: ChainFixture = await plan.chain(await makePki('es256'))
  const envelope = { ...plan.envelope, x5c: fixture.x5c.map(b64) }
  const signature = signBytes(plan.signAs, fixture.leaf.privateKey, canonicalBytes(envelope))
  const signed: Record<string, unknown> = { ...envelope, signature: b64(signature) }
  for (const change of plan.afterSign) change(signed)
  const frame = plan.rewriteFrame.reduce((bytes, rewrite) => rewrite(bytes), canonicalBytes(signed))
  const verifier = new EnvelopeVerifier({
    trustAnchors: fixture.anchors,
    crls: fixture.crls,
    now: () => NOW,
    ...plan.options,
  })
  return { verifier, topicFrame: plan.topicFrame ?? (signed.topic as string), frame }
}

export async function run(...faults: Fault[]): Promise<VerifyResult> {
  const { verifier, topicFrame, frame } = await build(...faults)
  return verifier.verify(topicFrame, frame)
}

export const replace = (from: string, to: string | Buffer) => (frame: Buffer) => {
  const at = frame.indexOf(from)
  expect(at).toBeGreaterThanOrEqual(0)
  return Buffer.concat([frame.subarray(0, at), Buffer.from(to), frame.subarray(at + from.length)])
}
export const rewrite =
  (change: (frame: Buffer) => Buffer): Fault =>
  (plan) => {
    plan.rewriteFrame.push(change)
  }
export const set =
  (member: string, value: unknown): Fault =>
  (plan) => {
    plan.envelope[member] = value
  }
export const useChain =
  (chain: ChainBuilder): Fault =>
  (plan) => {
    plan.chain = chain
  }

/** One fault each, in check order (docs/protocol.md §5). */
export const F = {
  topicFrameTooLong: ((plan) => void (plan.topicFrame = 'a'.repeat(256))) as Fault,
  envelopeTooLarge: set('msg', { blob: 'x'.repeat(1_048_576) }),
  whitespace: rewrite((frame) => Buffer.concat([Buffer.from(' '), frame])),
  versionTwo: set('v', 'fedmsg/2'),
  algNone: ((plan) => {
    plan.envelope.alg = 'none'
    plan.afterSign.push((envelope) => void (envelope.signature = ''))
  }) as Fault,
  topicFrameDiffers: ((plan) => void (plan.topicFrame = 'org.fedoraproject.prod.koji.x')) as Fault,
  stale: set('timestamp', NOW - 300_001),
  future: set('timestamp', NOW + 30_001),
  forgedChain: useChain(forgedLeafSignature),
  expiredLeaf: useChain(expiredLeaf),
  algLabelEdDsa: set('alg', 'EdDSA'),
  policyDenies: ((plan) => {
    plan.options.policy = RoutingPolicy.fromJson({ rules: [{ topic: TOPIC, allow: ['koji'] }] })
  }) as Fault,
  signatureTampered: ((plan) => {
    plan.afterSign.push((envelope) => {
      const bytes = Buffer.from(envelope.signature as string, 'base64')
      bytes[10]! ^= 0x01
      envelope.signature = b64(bytes)
    })
  }) as Fault,
}
