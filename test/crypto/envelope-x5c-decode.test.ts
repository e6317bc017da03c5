/**
 * parseEnvelope remembers the last x5c it decoded (a publisher sends the same one with every message). The
 * memo must never hand one envelope another's certificates, nor let a spelling the strict decoder refuses
 * through because an equal-looking list was seen before.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { parseEnvelope } from '../../src/crypto/envelope/envelope.js'
import { Rejection } from '../../src/errors.js'
import { makePki, type Pki } from '../fixtures/pki.js'

const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'
let pkis: Pki[]

beforeAll(async () => {
  pkis = await Promise.all([makePki('es256'), makePki('ed25519')])
})

function frameOf(pki: Pki, i: number): Buffer {
  const signer = new EnvelopeSigner({ certificates: pki.chain, privateKey: pki.leafKey })
  return signer.sign({ topic: TOPIC, msg: { n: i }, i }).frame
}

describe('parseEnvelope x5c memo', () => {
  it('gives each envelope its own certificates when signers alternate', () => {
    for (let i = 1; i <= 6; i++) {
      const pki = pkis[i % 2]!
      const { certificates } = parseEnvelope(frameOf(pki, i))
      expect(certificates.map((der) => Buffer.from(der).toString('hex'))).toEqual(
        pki.chain.map((der) => Buffer.from(der).toString('hex')),
      )
    }
  })

  it('still refuses a non-canonical x5c spelling right after the canonical one', () => {
    const frame = frameOf(pkis[0]!, 1)
    parseEnvelope(frame)
    const leaf = (JSON.parse(frame.toString('utf8')) as { x5c: string[] }).x5c[0]!
    // A newline (\n in the JSON text) inside the base64: Buffer.from skips it and decodes the same bytes; the
    // strict decoder refuses it.
    const respelled = Buffer.from(frame.toString('utf8').replace(leaf, `${leaf}\\n`), 'utf8')
    expect(() => parseEnvelope(respelled)).toThrow(Rejection)
  })
})
