/**
 * A certificate with a 600 KB extension, inside the 1 MiB envelope limit: accepted when genuine, rejected when
 * forged, and never slow. Slowness is asserted by counting, not by timing: a fixed number of verifications
 * must all finish within the test's budget, about 20 times what they need on a loaded 2-core machine, so a
 * super-linear parse (seconds per message) fails the test while ordinary load does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { x509 } from '../../src/crypto/x509.js'
import { leafNamed } from '../fixtures/issue-certificates.js'
import type { Issued, Pki } from '../fixtures/pki.js'
import { openAttackKit } from './attack-kit.js'
import { expectReason, verifyLines, type Workspace } from './cli-runner.js'
import { editFrame, envelopeMembers, signedFrame, TOPIC } from './forge-envelope.js'
import type { PkiFiles } from './pki-files.js'

const EXTENSION_BYTES = 600 * 1024
const ROUNDS = 25

let pki: Pki
let workspace: Workspace
let files: PkiFiles
let genuine: Issued
let forged: Issued

const frameWith = (leaf: Issued) =>
  signedFrame(envelopeMembers(Date.now(), [leaf.der, pki.intermediate.der]), leaf.privateKey)

beforeAll(async () => {
  ;({ pki, workspace, files } = await openAttackKit('fedmsg-huge-cert-'))
  const blob = new x509.Extension('1.3.6.1.4.1.55555.1.2', false, new Uint8Array(EXTENSION_BYTES))
  genuine = await leafNamed(pki, [{ CN: ['bodhi'] }], [blob])
  // The same certificate with the last byte of its signature changed: the intermediate never signed it.
  const der = Buffer.from(genuine.der)
  der[der.length - 1]! ^= 0x01
  forged = { ...genuine, der }
})

afterAll(() => workspace?.remove())

describe('a certificate with a 600 KB extension', () => {
  it('is really that large, and the frame stays under the 1 MiB limit', () => {
    expect(genuine.der.length).toBeGreaterThan(EXTENSION_BYTES)
    expect(frameWith(genuine).length).toBeLessThan(1_048_576)
  })

  it('fedmsg verify: genuine → verified, forged → untrusted_chain, tampered body → bad_signature', async () => {
    const tampered = editFrame(frameWith(genuine), (e) => void (e.msg = { forged: true }))
    const lines = [frameWith(genuine), frameWith(forged), tampered]
    const { verdicts } = await verifyLines(workspace, lines, ['--ca', files.root])
    expect(verdicts[0]).toMatchObject({ ok: true, signer: 'bodhi' })
    expectReason(verdicts[1], 'untrusted_chain')
    expectReason(verdicts[2], 'bad_signature')
  })

  it(
    `${ROUNDS} genuine and ${ROUNDS} forged messages are all judged within the budget`,
    { timeout: 20_000 },
    () => {
      const verifier = new EnvelopeVerifier({ trustAnchors: pki.anchors })
      const genuineFrames = Array.from({ length: ROUNDS }, () => frameWith(genuine))
      const forgedFrames = Array.from({ length: ROUNDS }, () => frameWith(forged))
      let verified = 0
      let refused = 0
      for (let round = 0; round < ROUNDS; round++) {
        if (verifier.verify(TOPIC, genuineFrames[round]!).ok) verified++
        const result = verifier.verify(TOPIC, forgedFrames[round]!)
        if (!result.ok && result.reason === 'untrusted_chain') refused++
      }
      expect({ verified, refused }).toEqual({ verified: ROUNDS, refused: ROUNDS })
    },
  )
})
