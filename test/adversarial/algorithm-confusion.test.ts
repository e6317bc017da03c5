/**
 * Algorithm confusion: an `alg` label that lies about the key, algorithms fedmsg/1 does not have, and
 * signature values crafted to slip past a lax ECDSA, Ed25519 or RSA check. The attacker builds each line with
 * the library's JCS and signing primitives; one `fedmsg verify` run judges them all.
 */
import {
  constants,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair } from '../../src/ca/key-pair.js'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { RejectReason } from '../../src/errors.js'
import {
  p384Leaf,
  rsa1024Leaf,
  serviceLeaf,
  type ChainFixture,
  type Issued,
  type Pki,
} from '../fixtures/pki.js'
import { expectVerdict, judgeTable, openAttackKit } from './attack-kit.js'
import { expectReason, titled, type Verdict, type Workspace } from './cli-runner.js'
import { envelopeMembers, signedFrame, signatureOf, withSignature } from './forge-envelope.js'

/** Order of P-256 (SEC 2 §2.4.2) and of the Ed25519 group (RFC 8032 §5.1). */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n

const be32 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex')
const le32 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').reverse()
const fromLe = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`)

interface Leaves {
  es256: Issued
  ed25519: Issued
  rsa2048: Issued
  rsa1024: ChainFixture
  p384: ChainFixture
}

let pki: Pki
let leaves: Leaves
let workspace: Workspace

/** One line: an envelope carrying `leaf` labelled `alg`, signed by the leaf key as `signAs`, maybe re-signed. */
function line(
  leaf: Pick<Issued, 'der' | 'privateKey'>,
  alg: string,
  signAs: 'ES256' | 'EdDSA' | 'PS256' | 'RS256',
  signature?: (honest: Buffer, signingInput: Buffer) => Uint8Array,
): Buffer {
  const members = { ...envelopeMembers(Date.now(), [leaf.der, pki.intermediate.der]), alg }
  return signedFrame(members, leaf.privateKey, signAs, signature)
}

const fixtureLeaf = (fixture: ChainFixture) => ({
  der: fixture.leaf.der,
  privateKey: fixture.leaf.privateKey,
})
const pem = (key: KeyObject) => createPublicKey(key).export({ format: 'pem', type: 'spki' })
const spki = (key: KeyObject) => createPublicKey(key).export({ format: 'der', type: 'spki' })

interface Case {
  name: string
  reason: RejectReason | 'ok'
  make: () => Buffer
}
const row = (name: string, reason: Case['reason'], make: () => Buffer): Case => ({
  name,
  reason,
  make,
})

const CASES: readonly Case[] = [
  row('control: ES256, honest', 'ok', () => line(leaves.es256, 'ES256', 'ES256')),
  row('control: EdDSA, honest', 'ok', () => line(leaves.ed25519, 'EdDSA', 'EdDSA')),
  row('control: PS256, honest', 'ok', () => line(leaves.rsa2048, 'PS256', 'PS256')),
  row('control: RS256, honest', 'ok', () => line(leaves.rsa2048, 'RS256', 'RS256')),
  // The label must fit the key (check 9), before the signature is looked at.
  row('EdDSA label on a P-256 leaf', 'alg_mismatch', () => line(leaves.es256, 'EdDSA', 'ES256')),
  row('ES256 label on an Ed25519 leaf', 'alg_mismatch', () =>
    line(leaves.ed25519, 'ES256', 'EdDSA'),
  ),
  row('ES256 label on an RSA leaf', 'alg_mismatch', () => line(leaves.rsa2048, 'ES256', 'PS256')),
  row('EdDSA label on an RSA leaf', 'alg_mismatch', () => line(leaves.rsa2048, 'EdDSA', 'PS256')),
  row('PS256 on an RSA-1024 leaf', 'alg_mismatch', () =>
    line(fixtureLeaf(leaves.rsa1024), 'PS256', 'PS256'),
  ),
  row('RS256 on an RSA-1024 leaf', 'alg_mismatch', () =>
    line(fixtureLeaf(leaves.rsa1024), 'RS256', 'RS256'),
  ),
  row('ES256 on a P-384 leaf (96-byte P1363 signature)', 'alg_mismatch', () =>
    line(fixtureLeaf(leaves.p384), 'ES256', 'ES256', (_honest, input) =>
      sign('sha256', input, { key: leaves.p384.leaf.privateKey, dsaEncoding: 'ieee-p1363' }),
    ),
  ),
  // Algorithms fedmsg/1 does not have (check 4).
  row('alg none, empty signature', 'unsupported_alg', () =>
    line(leaves.es256, 'none', 'ES256', () => Buffer.alloc(0)),
  ),
  row('alg none, honest ES256 signature', 'unsupported_alg', () =>
    line(leaves.es256, 'none', 'ES256'),
  ),
  row('HS256 keyed with the leaf public key (PEM)', 'unsupported_alg', () =>
    line(leaves.es256, 'HS256', 'ES256', (_honest, input) =>
      createHmac('sha256', pem(leaves.es256.privateKey)).update(input).digest(),
    ),
  ),
  row('HS256 keyed with the leaf public key (DER)', 'unsupported_alg', () =>
    line(leaves.es256, 'HS256', 'ES256', (_honest, input) =>
      createHmac('sha256', spki(leaves.es256.privateKey)).update(input).digest(),
    ),
  ),
  row('ES384', 'unsupported_alg', () => line(leaves.es256, 'ES384', 'ES256')),
  row('Ed25519 (the curve, not the JOSE name)', 'unsupported_alg', () =>
    line(leaves.ed25519, 'Ed25519', 'EdDSA'),
  ),
  // Empty and crafted signature values (check 11).
  row('ES256, empty signature', 'bad_signature', () =>
    line(leaves.es256, 'ES256', 'ES256', () => Buffer.alloc(0)),
  ),
  row('EdDSA, empty signature', 'bad_signature', () =>
    line(leaves.ed25519, 'EdDSA', 'EdDSA', () => Buffer.alloc(0)),
  ),
  row('PS256, empty signature', 'bad_signature', () =>
    line(leaves.rsa2048, 'PS256', 'PS256', () => Buffer.alloc(0)),
  ),
  row('ES256, r = s = 0', 'bad_signature', () =>
    line(leaves.es256, 'ES256', 'ES256', () => Buffer.alloc(64)),
  ),
  row('ES256, r = 0 with the honest s', 'bad_signature', () =>
    line(leaves.es256, 'ES256', 'ES256', (h) => Buffer.concat([Buffer.alloc(32), h.subarray(32)])),
  ),
  row('ES256, r = s = n', 'bad_signature', () =>
    line(leaves.es256, 'ES256', 'ES256', () => Buffer.concat([be32(P256_N), be32(P256_N)])),
  ),
  row('ES256, r = s = 1', 'bad_signature', () =>
    line(leaves.es256, 'ES256', 'ES256', () => Buffer.concat([be32(1n), be32(1n)])),
  ),
  row('ES256, all bits set', 'bad_signature', () =>
    line(leaves.es256, 'ES256', 'ES256', () => Buffer.alloc(64, 0xff)),
  ),
  row('ES256, DER-encoded where P1363 is required', 'bad_signature', () =>
    line(leaves.es256, 'ES256', 'ES256', (_h, input) =>
      sign('sha256', input, leaves.es256.privateKey),
    ),
  ),
  row('ES256, P1363 over SHA-512', 'bad_signature', () =>
    line(leaves.es256, 'ES256', 'ES256', (_h, input) =>
      sign('sha512', input, { key: leaves.es256.privateKey, dsaEncoding: 'ieee-p1363' }),
    ),
  ),
  row('EdDSA, all zero', 'bad_signature', () =>
    line(leaves.ed25519, 'EdDSA', 'EdDSA', () => Buffer.alloc(64)),
  ),
  row('EdDSA, S + L (the non-canonical twin of an honest signature)', 'bad_signature', () =>
    line(leaves.ed25519, 'EdDSA', 'EdDSA', (h) =>
      Buffer.concat([h.subarray(0, 32), le32(fromLe(h.subarray(32)) + ED25519_L)]),
    ),
  ),
  row('PS256 signature labelled RS256', 'bad_signature', () =>
    line(leaves.rsa2048, 'RS256', 'PS256'),
  ),
  row('RS256 signature labelled PS256', 'bad_signature', () =>
    line(leaves.rsa2048, 'PS256', 'RS256'),
  ),
  row('PS256 with a salt of 0 bytes', 'bad_signature', () =>
    line(leaves.rsa2048, 'PS256', 'PS256', (_h, input) =>
      sign('sha256', input, {
        key: leaves.rsa2048.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 0,
      }),
    ),
  ),
  row('PS256 with the largest salt', 'bad_signature', () =>
    line(leaves.rsa2048, 'PS256', 'PS256', (_h, input) =>
      sign('sha256', input, {
        key: leaves.rsa2048.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: -2,
      }),
    ),
  ),
  row('RS256 over SHA-1', 'bad_signature', () =>
    line(leaves.rsa2048, 'RS256', 'RS256', (_h, input) =>
      sign('sha1', input, leaves.rsa2048.privateKey),
    ),
  ),
]

let verdicts: Map<string, Verdict>

beforeAll(async () => {
  const kit = await openAttackKit('fedmsg-alg-confusion-')
  ;({ pki, workspace } = kit)
  leaves = {
    es256: pki.leaf,
    ed25519: await serviceLeaf(pki.intermediate, 'bodhi', generateKeyPair('ed25519')),
    rsa2048: await serviceLeaf(pki.intermediate, 'bodhi', generateKeyPair('rsa2048')),
    rsa1024: await rsa1024Leaf(pki),
    p384: await p384Leaf(pki),
  }
  verdicts = await judgeTable(workspace, CASES, (c) => c.make(), ['--ca', kit.files.root])
})

afterAll(() => workspace?.remove())

describe('algorithm confusion (fedmsg verify)', () => {
  it.each(titled(CASES))('%s', (_title, { name, reason }) => {
    expectVerdict(verdicts.get(name), reason, { signer: 'bodhi' })
  })
})

describe('algorithm confusion (library verifier: what the CLI cannot configure)', () => {
  const verifier = (options = {}) => new EnvelopeVerifier({ trustAnchors: pki.anchors, ...options })

  it('an honest ES256 message to a verifier that allows only EdDSA → unsupported_alg', () => {
    const frame = line(leaves.es256, 'ES256', 'ES256')
    expectReason(
      verifier({ allowedAlgs: ['EdDSA'] }).verify(JSON.parse(frame.toString()).topic, frame),
      'unsupported_alg',
    )
  })

  it('the ECDSA twin (r, n − s) of a delivered message is a replay, not a second message', () => {
    const frame = line(leaves.es256, 'ES256', 'ES256')
    const signature = signatureOf(frame)
    const s = BigInt(`0x${signature.subarray(32).toString('hex')}`)
    const twin = withSignature(frame, Buffer.concat([signature.subarray(0, 32), be32(P256_N - s)]))
    const topic = JSON.parse(frame.toString()).topic as string
    const first = verifier()
    expect(first.verify(topic, frame).ok).toBe(true)
    expectReason(first.verify(topic, twin), 'replay')
    // Sent first, the twin is delivered once and the original becomes the replay: one delivery either way.
    const second = verifier()
    expect(second.verify(topic, twin).ok).toBe(true)
    expectReason(second.verify(topic, frame), 'replay')
  })

  it('an RSA-PSS-only key (id-RSASSA-PSS SPKI) with PS256 → alg_mismatch: fedmsg/1 takes rsaEncryption keys', async () => {
    const keys = generateKeyPairSync('rsa-pss', { modulusLength: 2048 })
    const leaf = await serviceLeaf(pki.intermediate, 'bodhi', keys)
    const frame = line(leaf, 'PS256', 'PS256', (_h, input) =>
      sign('sha256', input, {
        key: keys.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      }),
    )
    expectReason(verifier().verify(JSON.parse(frame.toString()).topic, frame), 'alg_mismatch')
  })

  it('the forged lines are canonical, so their rejections are not parse errors', () => {
    const frame = line(leaves.es256, 'EdDSA', 'ES256')
    expect(canonicalBytes(JSON.parse(frame.toString())).equals(frame)).toBe(true)
  })
})
