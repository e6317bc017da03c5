/**
 * Binding: a genuine signature is not enough; it must be the right service's, for that topic, under that topic
 * frame. Envelopes come from `fedmsg sign`; the attacker re-sends or re-signs them; `fedmsg verify --policy`
 * judges.
 *
 *   bodhi ─sign→ envelope ─(re-sent under koji's frame)→ verify → topic_mismatch
 *   koji  ─sign on bodhi's topic→ verify --policy → policy_denied
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Pki } from '../fixtures/pki.js'
import { openAttackKit } from './attack-kit.js'
import { expectReason, verifyLines, type Verdict, type Workspace } from './cli-runner.js'
import { b64, signedFrame, TOPIC, unsignedMembers } from './forge-envelope.js'
import type { PkiFiles } from './pki-files.js'

const KOJI_TOPIC = 'org.fedoraproject.prod.koji.build.complete'
const POLICY = {
  default: 'deny',
  rules: [
    { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] },
    { topic: 'org.fedoraproject.*.koji.>', allow: ['koji'] },
  ],
}
const BODY = '{"update":"bodhi-7.2.1-1.fc40","agent":"lmacken"}'

let pki: Pki
let workspace: Workspace
let files: PkiFiles
const lines = new Map<string, Buffer>()

async function sign(service: 'bodhi' | 'koji', topic: string): Promise<Buffer> {
  const [cert, key] =
    service === 'bodhi' ? [files.bodhiCert, files.bodhiKey] : [files.kojiCert, files.kojiKey]
  const run = await workspace.fedmsg(['sign', '--cert', cert, '--key', key, '--topic', topic], BODY)
  expect(run).toMatchObject({ code: 0, stderr: '' })
  return Buffer.from(run.stdout.trimEnd())
}

beforeAll(async () => {
  ;({ pki, workspace, files } = await openAttackKit('fedmsg-binding-'))
  workspace.write('policy.json', JSON.stringify(POLICY))
  const [bodhi, kojiOnBodhi, kojiOnKoji, bodhiBare] = await Promise.all([
    sign('bodhi', TOPIC),
    sign('koji', TOPIC),
    sign('koji', KOJI_TOPIC),
    sign('bodhi', 'org.fedoraproject.prod.bodhi'),
  ])
  lines.set('bodhi', bodhi)
  lines.set('koji on bodhi topic', kojiOnBodhi)
  lines.set('koji on koji topic', kojiOnKoji)
  lines.set('bodhi without event', bodhiBare)
  // A compromised koji copies bodhi's message, every member but x5c, and signs it with its own key.
  const copied = {
    ...unsignedMembers(bodhi),
    x5c: [pki.otherLeaf.der, pki.intermediate.der].map(b64),
  }
  lines.set('bodhi message re-signed by koji', signedFrame(copied, pki.otherLeaf.privateKey))
  // Or keeps bodhi's certificates to borrow bodhi's name, and signs with its own key.
  lines.set('bodhi x5c, koji key', signedFrame(unsignedMembers(bodhi), pki.otherLeaf.privateKey))
})

afterAll(() => workspace?.remove())

describe('topic frame binding (fedmsg verify --frame-topic)', () => {
  const FRAMES: readonly [string, string][] = [
    ["koji's topic", KOJI_TOPIC],
    [
      'a prefix of the signed topic (what a ZeroMQ prefix subscription matches)',
      'org.fedoraproject.prod.bodhi',
    ],
    ['the signed topic with one more token', `${TOPIC}.x`],
    ['the signed topic in upper case', TOPIC.toUpperCase()],
    ['the signed topic with a trailing dot', `${TOPIC}.`],
  ]
  const verdicts = new Map<string, Verdict>()

  // One `fedmsg verify --frame-topic` per frame, all at once.
  beforeAll(async () => {
    await Promise.all(
      FRAMES.map(async ([name, frameTopic]) => {
        const flags = ['--ca', files.root, '--frame-topic', frameTopic]
        const run = await verifyLines(workspace, [lines.get('bodhi')!], flags)
        verdicts.set(name, run.verdicts[0]!)
      }),
    )
  })

  it.each(FRAMES)('a valid bodhi envelope re-sent under %s → topic_mismatch', (name) => {
    expectReason(verdicts.get(name), 'topic_mismatch')
  })
})

describe('signer binding (fedmsg verify --policy: bodhi.> only bodhi, koji.> only koji)', () => {
  const CASES: readonly [string, Verdict['reason'] | 'ok'][] = [
    ['bodhi', 'ok'],
    ['koji on koji topic', 'ok'],
    ['koji on bodhi topic', 'policy_denied'],
    ['bodhi message re-signed by koji', 'policy_denied'],
    ['bodhi x5c, koji key', 'bad_signature'],
    ['bodhi without event', 'policy_denied'],
  ]
  const verdicts = new Map<string, Verdict>()

  beforeAll(async () => {
    const flags = ['--ca', files.root, '--policy', workspace.path('policy.json')]
    const run = await verifyLines(
      workspace,
      CASES.map(([name]) => lines.get(name)!),
      flags,
    )
    CASES.forEach(([name], index) => verdicts.set(name, run.verdicts[index]!))
  })

  it.each(CASES)('%s → %s', (name, reason) => {
    if (reason === 'ok') expect(verdicts.get(name)).toMatchObject({ ok: true })
    else expectReason(verdicts.get(name), reason!)
  })

  it('the re-signed copy names koji, never bodhi, as its signer', async () => {
    const { verdicts } = await verifyLines(
      workspace,
      [lines.get('bodhi message re-signed by koji')!],
      ['--ca', files.root],
    )
    expect(verdicts[0]).toMatchObject({ ok: true, signer: 'koji' })
  })
})
