import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair } from '../../src/ca/key-pair.js'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { parseEnvelope } from '../../src/crypto/envelope/envelope.js'
import { parseCertificateProfile } from '../../src/crypto/chain/certificate-profile.js'
import { exportPrivateKeyPem } from '../../src/crypto/keys/key-file.js'
import { encodePem, PEM_LABEL } from '../../src/crypto/pem.js'
import type { x509 } from '../../src/crypto/x509.js'
import { leafNamed } from '../fixtures/issue-certificates.js'
import { leafWithoutCn, makePki, serviceLeaf, type Pki } from '../fixtures/pki.js'

const TOPIC = 'org.fedoraproject.dev.logger.log'
let pki: Pki
let dir: string

beforeAll(async () => {
  pki = await makePki('es256')
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-signer-'))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, content: string, mode = 0o600): string {
  const path = join(dir, name)
  writeFileSync(path, content, { mode })
  return path
}

const pem = (...ders: Uint8Array[]) =>
  ders.map((der) => encodePem(der, PEM_LABEL.certificate)).join('')
const signer = () => new EnvelopeSigner({ certificates: pki.chain, privateKey: pki.leafKey })

describe('EnvelopeSigner.sign', () => {
  it('sends exactly the JCS of the envelope, signed over the JCS without signature', () => {
    const { topic, frame } = signer().sign({ topic: TOPIC, msg: { b: 1, a: [true] }, i: 3 })
    const envelope = JSON.parse(frame.toString('utf8'))
    expect(topic).toBe(TOPIC)
    expect(canonicalBytes(envelope).equals(frame)).toBe(true)
    expect(envelope).toMatchObject({ v: 'fedmsg/1', topic: TOPIC, i: 3, alg: 'ES256' })
    expect(envelope).not.toHaveProperty('headers')
    expect(envelope.x5c).toEqual(pki.chain.map((der) => Buffer.from(der).toString('base64')))
    expect(envelope.msg_id).toMatch(new RegExp(`^${new Date().getUTCFullYear()}-[0-9a-f-]{36}$`))
    expect(Math.abs(envelope.timestamp - Date.now())).toBeLessThan(60_000)
  })

  it('the signing input parseEnvelope cuts out of the frame is the JCS without "signature"', () => {
    const s = signer()
    const body = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
    const headers = fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 })
    fc.assert(
      fc.property(body, headers, fc.nat(), (msg, h, i) => {
        const { frame } = s.sign({ topic: TOPIC, msg, headers: h, i: i + 1 })
        const unsigned = JSON.parse(frame.toString('utf8'))
        delete unsigned.signature
        return Buffer.from(parseEnvelope(frame).signingInput).equals(canonicalBytes(unsigned))
      }),
      { numRuns: 200 },
    )
  })

  it('the frame is byte for byte the JCS of the envelope built from the inputs (members assembled in order)', () => {
    const s = signer()
    const x5c = pki.chain.map((der) => Buffer.from(der).toString('base64'))
    const body = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
    const headers = fc.option(fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), {
      nil: undefined,
    })
    fc.assert(
      fc.property(body, headers, fc.nat(), fc.nat(), (msg, h, i, timestamp) => {
        const msgId = '2026-0b7e5d3c-9f1a-4c2e-8d4b-1a2b3c4d5e6f'
        const input = { topic: TOPIC, msg, i: i + 1, timestamp, msgId }
        const { frame } = s.sign(h === undefined ? input : { ...input, headers: h })
        const { signature } = JSON.parse(frame.toString('utf8')) as { signature: string }
        const envelope = {
          v: 'fedmsg/1',
          topic: TOPIC,
          msg,
          msg_id: msgId,
          timestamp,
          i: i + 1,
          ...(h === undefined ? {} : { headers: h }),
          alg: 'ES256',
          x5c,
          signature,
        }
        return frame.equals(canonicalBytes(envelope))
      }),
      { numRuns: 300 },
    )
  })

  it.each([
    ['an invalid topic', { topic: 'a..b' }, 'ERR_FEDMSG_INVALID_TOPIC'],
    ['a lone surrogate in msg', { msg: { s: '\ud800' } }, 'ERR_FEDMSG_SIGN_FAILED'],
    ['a member named toJSON in msg', { msg: { toJSON: 1 } }, 'ERR_FEDMSG_SIGN_FAILED'],
    ['a function in msg', { msg: { f: () => 1 } }, 'ERR_FEDMSG_SIGN_FAILED'],
    ['a BigInt in msg', { msg: { n: 1n } }, 'ERR_FEDMSG_SIGN_FAILED'],
    ['Infinity in msg', { msg: { n: Infinity } }, 'ERR_FEDMSG_SIGN_FAILED'],
  ])('refuses %s with %s', (_name, input, code) => {
    expect(() => signer().sign({ topic: TOPIC, msg: {}, i: 1, ...input })).toThrow(
      expect.objectContaining({ code }),
    )
  })

  it.each([
    ['msg an array', { msg: [] }],
    ['msg a Map', { msg: new Map() }],
    ['i = 0', { i: 0 }],
    ['a header that is not a string', { headers: { a: 1 } }],
    ['headers a string', { headers: 'a' }],
    ['a negative timestamp', { timestamp: -1 }],
    ['a msgId that is not <year>-<uuid v4>', { msgId: 'abc' }],
  ])('refuses %s with a TypeError', (_name, input) => {
    expect(() => signer().sign({ topic: TOPIC, msg: {}, i: 1, ...(input as object) })).toThrow(
      TypeError,
    )
  })
})

describe('new EnvelopeSigner', () => {
  it('picks the algorithm from the key and exposes the leaf CN', () => {
    expect(signer()).toMatchObject({ alg: 'ES256', signerName: 'bodhi' })
  })

  it('refuses a key that is not the leaf key (ERR_FEDMSG_KEY_INVALID)', () => {
    const other = generateKeyPair('es256').privateKey
    expect(() => new EnvelopeSigner({ certificates: pki.chain, privateKey: other })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_KEY_INVALID' }),
    )
  })

  it('refuses an alg that does not fit the key (ERR_FEDMSG_SIGN_FAILED)', () => {
    expect(
      () => new EnvelopeSigner({ certificates: pki.chain, privateKey: pki.leafKey, alg: 'PS256' }),
    ).toThrow(expect.objectContaining({ code: 'ERR_FEDMSG_SIGN_FAILED' }))
  })

  it('refuses an alg outside the table (ERR_FEDMSG_SIGN_FAILED)', () => {
    const none = { certificates: pki.chain, privateKey: pki.leafKey, alg: 'none' as never }
    expect(() => new EnvelopeSigner(none)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_SIGN_FAILED' }),
    )
  })

  it('refuses a key no algorithm signs with (ERR_FEDMSG_SIGN_FAILED)', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
    const leaf = await serviceLeaf(pki.intermediate, 'bodhi', p384)
    expect(
      () => new EnvelopeSigner({ certificates: [leaf.der], privateKey: p384.privateKey }),
    ).toThrow(expect.objectContaining({ code: 'ERR_FEDMSG_SIGN_FAILED' }))
  })

  it('refuses a leaf without exactly one CN (ERR_FEDMSG_CERT_INVALID)', async () => {
    const { x5c, leaf } = await leafWithoutCn(pki)
    expect(() => new EnvelopeSigner({ certificates: x5c, privateKey: leaf.privateKey })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CERT_INVALID' }),
    )
  })

  it.each([
    ['no certificates', []],
    ['five certificates', Array(5).fill(new Uint8Array())],
    ['a leaf that does not parse', [new Uint8Array([1, 2, 3])]],
  ])('refuses %s (ERR_FEDMSG_CERT_INVALID)', (_name, certificates) => {
    expect(() => new EnvelopeSigner({ certificates, privateKey: pki.leafKey })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CERT_INVALID' }),
    )
  })
})

describe('the signer identity (read with node:crypto) is the one a verifier reads', () => {
  const withLeaf = async (subject: x509.JsonName) => {
    const leaf = await leafNamed(pki, subject)
    const certificates = [leaf.der, pki.intermediate.der]
    return { leaf, signer: () => new EnvelopeSigner({ certificates, privateKey: leaf.privateKey }) }
  }

  it.each<[string, x509.JsonName]>([
    ['commas, quotes and a plus', [{ CN: ['a,b+c"d<e>;f=g'] }]],
    ['a line break', [{ CN: ['line\nCN=evil'] }]],
    ['non-ASCII characters', [{ CN: ['ünïcødé ☃'] }]],
    ['the CN in a multi-valued RDN', [{ CN: ['bodhi'], O: ['Fedora'] }]],
    ['the CN between other RDNs', [{ O: ['Fedora'] }, { CN: ['bodhi'] }, { OU: ['x'] }]],
    ['an OU that spells a CN', [{ OU: ['x\nCN=evil'] }, { CN: ['good'] }]],
  ])('signerName with %s', async (_name, subject) => {
    const { leaf, signer } = await withLeaf(subject)
    expect([signer().signerName]).toEqual(parseCertificateProfile(leaf.der).commonNames)
  })

  it.each<[string, x509.JsonName]>([
    ['two CN RDNs', [{ CN: ['bodhi'] }, { CN: ['koji'] }]],
    ['two CNs in one RDN', [{ CN: ['bodhi', 'koji'] }]],
  ])('refuses a leaf with %s (ERR_FEDMSG_CERT_INVALID)', async (_name, subject) => {
    const { leaf, signer } = await withLeaf(subject)
    expect(parseCertificateProfile(leaf.der).commonNames).not.toHaveLength(1)
    expect(signer).toThrow(expect.objectContaining({ code: 'ERR_FEDMSG_CERT_INVALID' }))
  })
})

describe('EnvelopeSigner.fromFiles', () => {
  it('reads leaf + intermediates, leaves a root out of x5c, appends --chain certificates', () => {
    const key = file('leaf.key', exportPrivateKeyPem(pki.leafKey))
    const withRoot = file('with-root.crt', pem(pki.leaf.der, pki.intermediate.der, pki.root.der))
    const leafOnly = file('leaf.crt', pem(pki.leaf.der))
    const chain = file('chain.crt', pem(pki.intermediate.der))
    const x5cOf = (s: EnvelopeSigner) =>
      JSON.parse(s.sign({ topic: TOPIC, msg: {}, i: 1 }).frame.toString()).x5c.length
    expect(x5cOf(EnvelopeSigner.fromFiles({ certFile: withRoot, keyFile: key }))).toBe(2)
    expect(
      x5cOf(EnvelopeSigner.fromFiles({ certFile: leafOnly, keyFile: key, chainFile: chain })),
    ).toBe(2)
  })

  it('reads an encrypted key with its passphrase', () => {
    const key = file('enc.key', exportPrivateKeyPem(pki.leafKey, 'sesame'))
    const cert = file('enc.crt', pem(...pki.chain))
    const s = EnvelopeSigner.fromFiles({
      certFile: cert,
      keyFile: key,
      passphrase: 'sesame',
      alg: 'ES256',
    })
    expect(s).toMatchObject({ signerName: 'bodhi', alg: 'ES256' })
  })

  it.each([
    ['a missing certificate file', 'missing.crt', 'ERR_FEDMSG_CONFIG_NOT_FOUND'],
    ['a file without certificates', 'empty.crt', 'ERR_FEDMSG_CERT_INVALID'],
  ])('refuses %s', (_name, certName, code) => {
    file('empty.crt', 'nothing here\n')
    const key = file('leaf2.key', exportPrivateKeyPem(pki.leafKey))
    expect(() => EnvelopeSigner.fromFiles({ certFile: join(dir, certName), keyFile: key })).toThrow(
      expect.objectContaining({ code }),
    )
  })

  it('refuses a chain file holding a block that is not a certificate', () => {
    const key = file('leaf3.key', exportPrivateKeyPem(pki.leafKey))
    const cert = file(
      'junk.crt',
      pem(pki.leaf.der) + encodePem(new Uint8Array([1, 2]), 'CERTIFICATE'),
    )
    expect(() => EnvelopeSigner.fromFiles({ certFile: cert, keyFile: key })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CERT_INVALID' }),
    )
  })

  it('refuses a group-readable key (ERR_FEDMSG_KEY_INSECURE)', () => {
    const key = file('open.key', exportPrivateKeyPem(pki.leafKey), 0o640)
    const cert = file('open.crt', pem(...pki.chain))
    expect(() => EnvelopeSigner.fromFiles({ certFile: cert, keyFile: key })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_KEY_INSECURE' }),
    )
  })
})
