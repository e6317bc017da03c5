/**
 * Certificate attacks, black-box: each named chain fixture (test/fixtures/chain-faults.ts) signs one envelope
 * with its own leaf key, and `fedmsg verify --ca ANCHORS [--crl CRLS]` judges it. Fixtures that share the
 * verifier's configuration share one CLI run.
 *
 *   fixture leaf ─sign→ envelope(x5c = fixture chain) → fedmsg verify --ca fixture anchors → reason
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRootCertificate } from '../../src/ca/certificate-factory.js'
import { generateKeyPair } from '../../src/ca/key-pair.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { RejectReason } from '../../src/errors.js'
import {
  CHAIN_FAULTS,
  DAY,
  chainWithAnchor,
  chainWithCrls,
  deepChain,
  directChain,
  issued,
  serviceLeaf,
  validChain,
  validNow,
  type ChainBuilder,
  type ChainFixture,
  type Pki,
} from '../fixtures/pki.js'
import { expectVerdict, openAttackKit } from './attack-kit.js'
import { expectReason, titled, verifyLines, type Verdict, type Workspace } from './cli-runner.js'
import { envelopeMembers, signedFrame, TOPIC } from './forge-envelope.js'
import { certPem, crlPem, type PkiFiles } from './pki-files.js'

/** A leaf "bodhi" under a CA that has nothing to do with the configured anchor. */
const leafFromUnrelatedCa: ChainBuilder = async (pki) => {
  const keys = generateKeyPair('es256')
  const ca = issued(await createRootCertificate('Evil Root', keys, validNow()), keys.privateKey)
  const leaf = await serviceLeaf(ca, 'bodhi', generateKeyPair('es256'))
  return { leaf, x5c: [leaf.der, ca.der], anchors: pki.anchors, crls: [] }
}
/** The healthy chain whose leaf DER is replaced by `der`. */
const leafBytes =
  (der: (pki: Pki) => Uint8Array): ChainBuilder =>
  async (pki) => ({ ...(await validChain(pki)), x5c: [der(pki), pki.intermediate.der] })

const CASES: readonly { name: string; reason: RejectReason | 'ok'; build: ChainBuilder }[] = [
  { name: 'validChain', reason: 'ok', build: validChain },
  { name: 'directChain', reason: 'ok', build: directChain },
  { name: 'chainWithAnchor', reason: 'ok', build: chainWithAnchor },
  { name: 'chainWithCrls', reason: 'ok', build: chainWithCrls },
  { name: 'chain of exactly 4 (3 intermediates)', reason: 'ok', build: (pki) => deepChain(pki, 3) },
  ...CHAIN_FAULTS,
  { name: 'leafFromUnrelatedCa', reason: 'untrusted_chain', build: leafFromUnrelatedCa },
  {
    name: 'garbage DER (60 bytes)',
    reason: 'malformed',
    build: leafBytes(() => createHash('sha512').update('garbage').digest().subarray(0, 60)),
  },
  {
    name: 'leaf DER cut short by one byte',
    reason: 'malformed',
    build: leafBytes((pki) => pki.leaf.der.subarray(0, -1)),
  },
  {
    name: 'leaf DER followed by one extra byte',
    reason: 'malformed',
    build: leafBytes((pki) => Buffer.concat([pki.leaf.der, Buffer.of(0)])),
  },
  { name: 'empty x5c element', reason: 'malformed', build: leafBytes(() => new Uint8Array()) },
]

let pki: Pki
let workspace: Workspace
let files: PkiFiles
const verdicts = new Map<string, Verdict>()

function frameFor(fixture: ChainFixture, timestamp = Date.now()): Buffer {
  return signedFrame(envelopeMembers(timestamp, fixture.x5c), fixture.leaf.privateKey)
}

/** One CLI run per distinct (anchors, CRLs) configuration, all runs at once. */
async function judge(fixtures: readonly { name: string; fixture: ChainFixture }[]) {
  const groups = new Map<string, { name: string; fixture: ChainFixture }[]>()
  for (const item of fixtures) {
    const key = createHash('sha256')
      .update(certPem(...item.fixture.anchors))
      .update(crlPem(...item.fixture.crls))
      .digest('hex')
    groups.set(key, [...(groups.get(key) ?? []), item])
  }
  await Promise.all(
    [...groups].map(async ([key, items]) => {
      const { anchors, crls } = items[0]!.fixture
      const flags = ['--ca', workspace.write(`${key}.crt`, certPem(...anchors), 0o644)]
      if (crls.length > 0) flags.push('--crl', workspace.write(`${key}.crl`, crlPem(...crls)))
      const run = await verifyLines(
        workspace,
        items.map((item) => frameFor(item.fixture)),
        flags,
      )
      items.forEach((item, index) => verdicts.set(item.name, run.verdicts[index]!))
    }),
  )
}

beforeAll(async () => {
  ;({ pki, workspace, files } = await openAttackKit('fedmsg-certificates-'))
  const fixtures = []
  for (const { name, build } of CASES) fixtures.push({ name, fixture: await build(pki) })
  await judge(fixtures)
})

afterAll(() => workspace?.remove())

describe('certificate attacks (fedmsg verify)', () => {
  it.each(titled(CASES))('%s', (_title, { name, reason }) => {
    expectVerdict(verdicts.get(name), reason, { signer: 'bodhi' })
  })

  it('a message backdated to before its leaf was valid → cert_not_yet_valid', async () => {
    const fixture = await validChain(pki)
    const before = pki.leaf.certificate.notBefore.getTime() - DAY
    const { verdicts } = await verifyLines(
      workspace,
      [frameFor(fixture, before)],
      ['--ca', files.root],
    )
    expectReason(verdicts[0], 'cert_not_yet_valid')
  })
})

describe('revocation the CLI cannot configure (library verifier, requireCrls)', () => {
  const verify = (crls: readonly Uint8Array[]) => {
    const verifier = new EnvelopeVerifier({ trustAnchors: pki.anchors, crls, requireCrls: true })
    const fixture = { leaf: pki.leaf, x5c: pki.chain, anchors: pki.anchors, crls }
    return verifier.verify(TOPIC, frameFor(fixture))
  }

  it('requireCrls and no CRL for the intermediate → crl_unavailable', () => {
    expectReason(verify([pki.rootCrl]), 'crl_unavailable')
  })

  it('requireCrls and no CRL for the root → crl_unavailable', () => {
    expectReason(verify([pki.intermediateCrl]), 'crl_unavailable')
  })

  it('requireCrls and no CRL at all → crl_unavailable', () => {
    expectReason(verify([]), 'crl_unavailable')
  })

  it('requireCrls with both CRLs → verified', () => {
    expect(verify(pki.crls).ok).toBe(true)
  })
})
