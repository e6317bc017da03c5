// Regenerates the fedmsg/1 test vectors in test/vectors/ (format: test/vectors/README.md). Run after a build:
// `npx tsc -p tsconfig.build.json && node scripts/make-test-vectors.js`. The vector PKI in test/vectors/keys is
// made once and then reused; ES256/PS256 signatures of the previous run are kept when they still verify, so a
// re-run changes nothing unless the code or this script changed. Before writing, every vector is checked
// against the real verifier, and the script refuses to write any whose verdict differs from `expected`.
import { readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EnvelopeVerifier } from '../dist/crypto/envelope/envelope-verifier.js'
import { RoutingPolicy } from '../dist/crypto/policy/routing-policy.js'
import { acceptedCases } from './test-vectors/cases-accepted.js'
import { chainCases } from './test-vectors/cases-chain.js'
import { envelopeCases } from './test-vectors/cases-envelope.js'
import { malformedCases } from './test-vectors/cases-malformed.js'
import { signatureCases } from './test-vectors/cases-signature.js'
import { signatureAlgorithmCases } from './test-vectors/cases-signature-algorithms.js'
import { protocolPointCases } from './test-vectors/cases-protocol-points.js'
import { EnvelopeBuilder, frameOf } from './test-vectors/envelope-builder.js'
import {
  makeFaultyIntermediates,
  makeFaultyLeaves,
  makeReissuedRoots,
} from './test-vectors/faulty-certificates.js'
import { makeHealthyPki, VectorFiles } from './test-vectors/vector-pki.js'

const VECTORS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'vectors')
const vectorFiles = () => readdirSync(VECTORS).filter((name) => name.endsWith('.json'))
const framesOf = (v) =>
  v.envelope_frames ?? (v.envelope_frame === undefined ? [] : [v.envelope_frame])

const files = new VectorFiles(VECTORS)
const previousFrames = vectorFiles().flatMap((name) =>
  framesOf(JSON.parse(readFileSync(join(VECTORS, name), 'utf8'))),
)
const pki = await makeHealthyPki(files)
const faults = await makeFaultyLeaves(pki, files)
const forger = {
  certificate: pki.intermediate.certificate,
  privateKey: faults.untrustedRoot.privateKey,
}
const crls = {
  root: await files.crl('root', pki.root, []),
  intermediate: await files.crl('intermediate', pki.intermediate, ['f00dcafe']),
  intermediateExpired: await files.crl('intermediate-expired', pki.intermediate, ['f00dcafe'], {
    thisUpdate: new Date('2025-06-01T00:00:00Z'),
    nextUpdate: new Date('2026-01-01T00:00:00Z'),
  }),
  intermediateForged: await files.crl('intermediate-forged', forger, []),
  intermediateFuture: await files.crl('intermediate-future', pki.intermediate, [], {
    thisUpdate: new Date('2026-06-02T00:00:00Z'),
  }),
  rootRevokesIntermediate: await files.crl('root-revokes-intermediate', pki.root, ['02']),
}
const ctx = {
  pki,
  faults,
  intermediates: await makeFaultyIntermediates(pki),
  roots: await makeReissuedRoots(pki, files),
  crls,
  builder: new EnvelopeBuilder(previousFrames),
}
const cases = [
  ...acceptedCases(ctx),
  ...envelopeCases(ctx),
  ...malformedCases(ctx),
  ...chainCases(ctx),
  ...signatureCases(ctx),
  ...(await signatureAlgorithmCases(ctx, files)),
  ...(await protocolPointCases(ctx, files)),
]

/** The verifier's answers for `v`, in the shape of `expected`. */
function verdictsOf(v) {
  const read = (file) => readFileSync(join(VECTORS, file), 'utf8')
  const verifier = new EnvelopeVerifier({
    trustAnchors: v.trust_anchors.map(read),
    crls: v.crls.map(read),
    requireCrls: v.require_crls ?? false,
    policy: v.policy === null ? undefined : RoutingPolicy.fromJson(v.policy),
    now: () => Date.parse(v.now),
    maxAgeMs: v.max_age_seconds === null ? null : v.max_age_seconds * 1000,
    clockSkewMs: v.clock_skew_seconds * 1000,
    ...(v.not_before === undefined ? {} : { notBeforeMs: Date.parse(v.not_before) }),
    ...(v.max_envelope_bytes === undefined ? {} : { maxEnvelopeBytes: v.max_envelope_bytes }),
    ...(v.allowed_algs === undefined ? {} : { allowedAlgs: v.allowed_algs }),
  })
  if (v.frames !== undefined) {
    const result = verifier.verifyMessage(v.frames)
    return [
      result.ok
        ? 'accepted, but frame-count vectors are refused'
        : { ok: false, reason: result.reason },
    ]
  }
  const topic = v.topic_frame ?? Buffer.from(v.topic_frame_b64, 'base64')
  const frames =
    framesOf(v).length > 0 ? framesOf(v) : [Buffer.from(v.envelope_frame_b64, 'base64')]
  return frames.map((frame) => {
    const result = verifier.verify(topic, frame)
    if (!result.ok) return { ok: false, reason: result.reason }
    const { signer, alg, topic: t, msgId, timestamp, i } = result.message
    return { ok: true, signer: signer.name, alg, topic: t, msg_id: msgId, timestamp, i }
  })
}

const problems = []
const names = new Set()
for (const [name, v] of cases) {
  const expected = Array.isArray(v.expected) ? v.expected : [v.expected]
  const suffix = expected.every((e) => e.ok) ? '_ok' : '_fail'
  if (names.has(name)) problems.push(`${name}: duplicate name`)
  if (!name.endsWith(suffix))
    problems.push(`${name}: a vector with this verdict must end in ${suffix}`)
  names.add(name)
  const actual = JSON.stringify(verdictsOf(v))
  if (actual !== JSON.stringify(expected))
    problems.push(`${name}: expected ${JSON.stringify(expected)}, got ${actual}`)
}
if (problems.length > 0) {
  process.stderr.write(`no vector written; the verifier disagrees:\n${problems.join('\n')}\n`)
  process.exit(1)
}

// U+FEFF is kept escaped so that no editor mistakes the one in malformed_bom_fail for a file BOM.
const serialize = (v) => `${JSON.stringify(v, null, 2).replace(/\ufeff/g, '\\ufeff')}\n`
for (const name of vectorFiles()) rmSync(join(VECTORS, name))
for (const [name, v] of cases) writeFileSync(join(VECTORS, `${name}.json`), serialize(v))

// The signing inputs of the worked examples (docs/protocol.md §7), for the openssl commands shown there.
mkdirSync(join(VECTORS, 'examples'), { recursive: true })
for (const [example, name] of [
  ['eddsa', 'eddsa_chain2_ok'],
  ['es256', 'es256_chain2_ok'],
]) {
  const envelope = JSON.parse(cases.find(([n]) => n === name)[1].envelope_frame)
  delete envelope.signature
  writeFileSync(join(VECTORS, 'examples', `${example}.signing-input`), frameOf(envelope))
}

process.stdout.write(`${cases.length} vectors written to ${VECTORS}\n`)
