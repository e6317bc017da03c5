/**
 * Signer and verifier find the top-level "signature" member by searching for the last `,"timestamp":` of
 * the JCS text (src/crypto/envelope/envelope.ts). Bodies and headers may hold members named "signature" and
 * "timestamp", and strings that spell the same bytes: none of them may move the spot.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { parseEnvelope } from '../../src/crypto/envelope/envelope.js'
import { makePki, type Pki } from '../fixtures/pki.js'

const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'
let pki: Pki

beforeAll(async () => {
  pki = await makePki('es256')
})

describe('the signature member is found whatever the body holds', () => {
  it.each([
    ['members named signature and timestamp in msg', { msg: { signature: 'x', timestamp: 1 } }],
    [
      'members named signature and timestamp in headers',
      { msg: {}, headers: { signature: 'x', timestamp: '1' } },
    ],
    [
      'a string that spells the members',
      { msg: { text: ',"signature":"AAAA","timestamp":1,"topic":"a","v":"fedmsg/1","x5c":[]}' } },
    ],
    [
      'a nested object with the top-level members in order',
      { msg: { z: { msg_id: 'm', signature: 's', timestamp: 1, topic: 't', v: 'v', x5c: [] } } },
    ],
  ])('%s', (_name, input) => {
    const signer = new EnvelopeSigner({ certificates: pki.chain, privateKey: pki.leafKey })
    const { frame } = signer.sign({ topic: TOPIC, i: 1, ...input })
    const unsigned = JSON.parse(frame.toString('utf8'))
    delete unsigned.signature
    expect(Buffer.from(parseEnvelope(frame).signingInput).equals(canonicalBytes(unsigned))).toBe(
      true,
    )
    const verifier = new EnvelopeVerifier({ trustAnchors: pki.anchors, crls: pki.crls })
    expect(verifier.verify(TOPIC, frame)).toMatchObject({ ok: true })
  })
})
