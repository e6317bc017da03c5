/**
 * docs/protocol.md §7 cannot drift from the code: every `<!-- example: NAME -->` block there is compared with
 * what the signer and the verifier produce now, with the vector files it quotes, and the OpenSSL commands it
 * shows are run as written.
 */
import { execFileSync } from 'node:child_process'
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { parseEnvelope, type Envelope } from '../../src/crypto/envelope/envelope.js'
import { decodePemBlocks, PEM_LABEL } from '../../src/crypto/pem.js'
import { verifyBytes } from '../../src/crypto/primitives.js'
import {
  loadVectors,
  readVectorFile,
  topicFrameOf,
  verdictOf,
  verifierFor,
} from './vector-files.js'

const REPO = join(import.meta.dirname, '..', '..')
const DOC = readFileSync(join(REPO, 'docs', 'protocol.md'), 'utf8')

/** The fenced block after each `<!-- example: NAME -->` marker, by NAME. */
const BLOCKS = new Map(
  [...DOC.matchAll(/<!-- example: ([\w-]+) -->\n\n```\w*\n([\s\S]*?)\n```/g)].map((m) => [
    m[1]!,
    m[2]!,
  ]),
)
const block = (name: string): string => {
  const text = BLOCKS.get(name)
  if (text === undefined) throw new Error(`docs/protocol.md has no example block "${name}"`)
  return text
}

const vectors = new Map(loadVectors().map(({ name, vector }) => [name, vector]))
const AT = ['2026-06-01T12:00:00.000Z', '2026-06-01T12:05:00.000Z']

const EXAMPLES = [
  { prefix: 'eddsa', vector: 'eddsa_chain2_ok', leaf: 'bodhi', alg: 'EdDSA' },
  { prefix: 'es256', vector: 'es256_chain2_ok', leaf: 'koji', alg: 'ES256' },
] as const

/** Signs `envelope`'s members again with the vector key of `leaf` and the real signer. */
function signAgain(leaf: string, envelope: Envelope): Buffer {
  const signer = new EnvelopeSigner({
    certificates: [`keys/${leaf}.crt`, 'keys/intermediate-ca.crt'].map(
      (file) => decodePemBlocks(readVectorFile(file), PEM_LABEL.certificate)[0]!,
    ),
    privateKey: createPrivateKey(readVectorFile(`keys/${leaf}.key`)),
  })
  return signer.sign({
    topic: envelope.topic,
    msg: { ...envelope.msg },
    i: envelope.i,
    msgId: envelope.msg_id,
    timestamp: envelope.timestamp,
  }).frame
}

describe.each(EXAMPLES)('docs/protocol.md §7 $alg example', ({ prefix, vector, leaf, alg }) => {
  const quoted = vectors.get(vector)!
  const frame = Buffer.from(quoted.envelope_frame!, 'utf8')
  const parsed = parseEnvelope(frame)
  const { envelope } = parsed

  it('quotes the frame of its vector file', () => {
    expect(block(`${prefix}-frame`)).toBe(quoted.envelope_frame)
  })

  it('shows the signing input the signer signs, also in test/vectors/examples', () => {
    const signingInput = Buffer.from(parseEnvelope(signAgain(leaf, envelope)).signingInput)
    expect(block(`${prefix}-signing-input`)).toBe(signingInput.toString('utf8'))
    expect(Buffer.from(parsed.signingInput)).toEqual(signingInput)
    expect(readVectorFile(`examples/${prefix}.signing-input`)).toBe(signingInput.toString('utf8'))
    expect(block(`${prefix}-signing-input-sha256`)).toBe(
      createHash('sha256').update(signingInput).digest('hex'),
    )
  })

  it('shows a signature that verifies with the leaf key', () => {
    expect(block(`${prefix}-signature`)).toBe(envelope.signature)
    const leafKey = createPublicKey(createPrivateKey(readVectorFile(`keys/${leaf}.key`)))
    expect(verifyBytes(alg, leafKey, parsed.signingInput, parsed.signature)).toBe(true)
  })

  it('shows what a verifier answers at each instant', () => {
    const lines = AT.map((now) => {
      const result = verdictOf(
        verifierFor(quoted, Date.parse(now)).verify(topicFrameOf(quoted), frame),
      )
      return `now ${now}: ${result.ok ? `accepted, signer ${result.signer}` : `rejected, ${result.reason}`}`
    })
    expect(block(`${prefix}-verdicts`)).toBe(lines.join('\n'))
  })

  it('gives OpenSSL commands that verify the chain and the signature', () => {
    const output = execFileSync('bash', ['-euo', 'pipefail', '-c', block(`${prefix}-openssl`)], {
      cwd: REPO,
      encoding: 'utf8',
    })
    expect(output).toContain(`keys/${leaf}.crt: OK`)
    expect(output).toMatch(alg === 'EdDSA' ? /Signature Verified Successfully/ : /Verified OK/)
  })
})

describe('docs/protocol.md §7 EdDSA example', () => {
  const envelope = JSON.parse(vectors.get('eddsa_chain2_ok')!.envelope_frame!) as Envelope

  it('is reproduced byte for byte by the signer (Ed25519 is deterministic)', () => {
    expect(signAgain('bodhi', envelope).toString('utf8')).toBe(block('eddsa-frame'))
  })

  it('shows the body in its JCS form and names both msg_ids', () => {
    const es256 = JSON.parse(vectors.get('es256_chain2_ok')!.envelope_frame!) as Envelope
    expect(block('eddsa-body')).toBe(canonicalBytes(envelope.msg).toString('utf8'))
    expect(DOC).toContain(`\`${envelope.msg_id}\``)
    expect(DOC).toContain(`\`${es256.msg_id}\``)
  })
})
