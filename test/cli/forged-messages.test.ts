/**
 * The demo forger's attacks, each against a real verifier on the dev CA and the demo's routing policy:
 * every one is rejected, each with its own reason.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ATTACKS, forge, msgIdOf, type Attack } from '../../src/cli/demo/forged-messages.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import type { RejectReason } from '../../src/errors.js'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { REPO } from './cli-process.js'

const SCOPE = 'org.fedoraproject.dev'
const EXPECTED: Record<Attack, RejectReason> = {
  garbage: 'malformed',
  unsigned: 'malformed',
  policy: 'policy_denied',
  tampered: 'bad_signature',
  replay: 'replay',
  stale: 'stale',
}

let bus: CliBus
let verifier: EnvelopeVerifier
let forger: EnvelopeSigner
let recorded: readonly [Buffer, Buffer]
let i = 0

const signerOf = (name: string) =>
  EnvelopeSigner.fromFiles({
    certFile: join(bus.dir, `pki/${name}.crt`),
    keyFile: join(bus.dir, `pki/${name}.key`),
  })

beforeAll(() => {
  bus = makeCliBus(['demo-forger', 'git'])
  const policy = readFileSync(resolve(REPO, 'examples/demo-policy.json'), 'utf8')
  verifier = new EnvelopeVerifier({
    trustAnchors: [readFileSync(join(bus.dir, 'pki/root-ca.crt'), 'utf8')],
    crls: [readFileSync(join(bus.dir, 'pki/crl.pem'), 'utf8')],
    policy: RoutingPolicy.fromJson(JSON.parse(policy)),
  })
  forger = signerOf('demo-forger')
  const { topic, frame } = signerOf('git').sign({
    topic: `${SCOPE}.git.receive`,
    msg: { commit: { repo: 'rpms/kernel', branch: 'rawhide' } },
    i: 1,
  })
  recorded = [Buffer.from(topic), frame]
  // The hub accepted the recording once: that is what makes sending it again a replay.
  expect(verifier.verify(...recorded)).toMatchObject({ ok: true })
})
afterAll(() => bus.cleanup())

describe('demo forgeries', () => {
  it.each(ATTACKS.map((attack) => ({ attack, reason: EXPECTED[attack] })))(
    '$attack → $reason',
    ({ attack, reason }) => {
      const forgery = forge(attack, { signer: forger, scope: SCOPE, nextI: () => ++i, recorded })
      expect(forgery).toBeDefined()
      expect(verifier.verify(...forgery!.frames)).toMatchObject({ ok: false, reason })
    },
  )

  it('tampered and replay need a recording: without one there is no forgery', () => {
    const kit = { signer: forger, scope: SCOPE, nextI: () => ++i, recorded: undefined }
    expect(forge('tampered', kit)).toBeUndefined()
    expect(forge('replay', kit)).toBeUndefined()
  })

  it('msgIdOf reads the msg_id of a recording, and gives "" for bytes that are not JSON', () => {
    expect(msgIdOf(recorded[1])).toMatch(/^\d{4}-[0-9a-f-]{36}$/)
    expect(msgIdOf(Buffer.from('GET /'))).toBe('')
  })
})
