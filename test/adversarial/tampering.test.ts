/**
 * Tampering with a captured envelope, black-box: `fedmsg sign` signs one message, each case changes one thing
 * in its line the way an attacker on the wire could (re-serializing canonically, keeping the signature), and
 * one `fedmsg verify` run judges every line.
 *
 *   fedmsg sign → line ─(attacker edits one thing)→ fedmsg verify → exactly the case's reason
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RejectReason } from '../../src/errors.js'
import type { Pki } from '../fixtures/pki.js'
import { openAttackKit } from './attack-kit.js'
import { expectReason, titled, verifyLines, type Verdict, type Workspace } from './cli-runner.js'
import {
  b64,
  editFrame,
  msgIdAt,
  signatureOf,
  TOPIC,
  withSignature,
  type Members,
} from './forge-envelope.js'
import type { PkiFiles } from './pki-files.js'

const BODY = '{"update":"bodhi-7.2.1-1.fc40","agent":"lmacken","note":"café","karma":3}'

let pki: Pki
let workspace: Workspace
let files: PkiFiles
let line: Buffer
let timestamp: number
const verdicts = new Map<string, Verdict>()

type Tamper = (frame: Buffer) => Buffer
const msgOf = (envelope: Members) => envelope.msg as Members
const headersOf = (envelope: Members) => envelope.headers as Record<string, string>
const x5cOf = (envelope: Members) => envelope.x5c as string[]
const flipBit =
  (byte: number, bit: number): Tamper =>
  (frame) => {
    const signature = signatureOf(frame)
    signature[byte]! ^= 1 << bit
    return withSignature(frame, signature)
  }

interface Case {
  name: string
  reason: RejectReason
  tamper: Tamper
}
/** A case that edits one member of the parsed envelope, keeping the signature. */
const member = (name: string, reason: RejectReason, change: (e: Members) => void): Case => ({
  name,
  reason,
  tamper: (frame) => editFrame(frame, change),
})
/** A case that changes the frame's bytes. */
const bytes = (name: string, reason: RejectReason, tamper: Tamper): Case => ({
  name,
  reason,
  tamper,
})

const CASES: readonly Case[] = [
  // The body: every member is signed.
  member('body: a value changed', 'bad_signature', (e) => void (msgOf(e).agent = 'mallory')),
  member('body: a number changed', 'bad_signature', (e) => void (msgOf(e).karma = 4)),
  member('body: a member added', 'bad_signature', (e) => void (msgOf(e).admin = true)),
  member('body: a member removed', 'bad_signature', (e) => void delete msgOf(e).note),
  member('body: emptied', 'bad_signature', (e) => void (e.msg = {})),
  member(
    'body: "café" re-normalized to NFD (looks the same)',
    'bad_signature',
    (e) => void (msgOf(e).note = 'café'.normalize('NFD')),
  ),
  // The topic member (the frame follows it: verify uses the envelope's topic as the frame).
  member(
    'topic: another service topic',
    'bad_signature',
    (e) => void (e.topic = 'org.fedoraproject.prod.koji.build.complete'),
  ),
  member('topic: one token added', 'bad_signature', (e) => void (e.topic = `${TOPIC}.x`)),
  member('timestamp: +1 ms', 'bad_signature', (e) => void (e.timestamp = timestamp + 1)),
  member('timestamp: -1 ms', 'bad_signature', (e) => void (e.timestamp = timestamp - 1)),
  member('msg_id: a fresh one', 'bad_signature', (e) => void (e.msg_id = msgIdAt(timestamp))),
  member('i: another sequence number', 'bad_signature', (e) => void (e.i = 8)),
  member('v: fedmsg/2', 'unsupported_version', (e) => void (e.v = 'fedmsg/2')),
  // Headers are signed too.
  member('headers: one added', 'bad_signature', (e) => void (headersOf(e).route = 'x')),
  member('headers: one changed', 'bad_signature', (e) => void (headersOf(e).trace = 'xyz')),
  member('headers: one removed', 'bad_signature', (e) => void delete headersOf(e).lang),
  member('headers: member removed', 'bad_signature', (e) => void delete e.headers),
  member('headers: emptied', 'bad_signature', (e) => void (e.headers = {})),
  // x5c: the certificates are signed, and the chain is checked before the signature.
  member(
    "x5c: leaf swapped for koji's (same CA)",
    'bad_signature',
    (e) => void (x5cOf(e)[0] = b64(pki.otherLeaf.der)),
  ),
  member('x5c: intermediate dropped', 'untrusted_chain', (e) => void x5cOf(e).pop()),
  member('x5c: leaf dropped', 'bad_cert_usage', (e) => void x5cOf(e).shift()),
  member('x5c: reordered', 'untrusted_chain', (e) => void x5cOf(e).reverse()),
  member(
    'x5c: the anchor appended (byte-identical)',
    'bad_signature',
    (e) => void x5cOf(e).push(b64(pki.root.der)),
  ),
  member(
    "x5c: koji's leaf appended",
    'untrusted_chain',
    (e) => void x5cOf(e).push(b64(pki.otherLeaf.der)),
  ),
  member('x5c: the leaf twice', 'untrusted_chain', (e) => void x5cOf(e).unshift(x5cOf(e)[0]!)),
  member(
    'x5c: five elements',
    'malformed',
    (e) => void x5cOf(e).push(...x5cOf(e), b64(pki.root.der)),
  ),
  // alg relabelled: the label must fit the leaf key before any signature is checked.
  member('alg: EdDSA on a P-256 leaf', 'alg_mismatch', (e) => void (e.alg = 'EdDSA')),
  member('alg: PS256 on a P-256 leaf', 'alg_mismatch', (e) => void (e.alg = 'PS256')),
  member('alg: RS256 on a P-256 leaf', 'alg_mismatch', (e) => void (e.alg = 'RS256')),
  member('alg: none', 'unsupported_alg', (e) => void (e.alg = 'none')),
  member('alg: es256 (case)', 'unsupported_alg', (e) => void (e.alg = 'es256')),
  // The signature: bit flips in r and in s, both ends of each.
  ...(
    [
      [0, 0],
      [0, 7],
      [17, 3],
      [31, 0],
      [32, 7],
      [48, 5],
      [63, 0],
    ] as const
  ).map(([byte, bit]) =>
    bytes(`signature: byte ${byte} bit ${bit} flipped`, 'bad_signature', flipBit(byte, bit)),
  ),
  bytes('signature: last byte cut', 'bad_signature', (frame) =>
    withSignature(frame, signatureOf(frame).subarray(0, 63)),
  ),
  bytes('signature: one byte appended', 'bad_signature', (frame) =>
    withSignature(frame, Buffer.concat([signatureOf(frame), Buffer.of(0)])),
  ),
  member(
    'signature: base64 without padding',
    'malformed',
    (e) => void (e.signature = (e.signature as string).replace(/=+$/, '')),
  ),
  // The frame itself.
  bytes('frame: last byte cut', 'malformed', (frame) => frame.subarray(0, -1)),
  bytes('frame: cut in half', 'malformed', (frame) => frame.subarray(0, frame.length >> 1)),
  bytes('frame: only "{"', 'malformed', (frame) => frame.subarray(0, 1)),
  member('member appended: "x"', 'malformed', (e) => void (e.x = 1)),
  member('member appended: "kid"', 'malformed', (e) => void (e.kid = 'bodhi')),
  member('member appended: "sig2"', 'malformed', (e) => void (e.sig2 = e.signature)),
  member('member removed: signature', 'malformed', (e) => void delete e.signature),
  member('member removed: msg_id', 'malformed', (e) => void delete e.msg_id),
]

beforeAll(async () => {
  ;({ pki, workspace, files } = await openAttackKit('fedmsg-tampering-'))
  const signed = await workspace.fedmsg(
    [
      'sign',
      ...['--cert', files.bodhiCert, '--key', files.bodhiKey, '--topic', TOPIC],
      ...['--headers', '{"trace":"abc","lang":"en"}', '--seq', '7'],
    ],
    BODY,
  )
  expect(signed).toMatchObject({ code: 0, stderr: '' })
  line = Buffer.from(signed.stdout.trimEnd())
  timestamp = JSON.parse(line.toString()).timestamp as number
  // The untampered line goes last: it must verify, proving each rejection is the tamper's doing.
  const lines = [...CASES.map((c) => c.tamper(line)), line]
  const now = new Date(timestamp).toISOString()
  const run = await verifyLines(workspace, lines, ['--ca', files.root, '--now', now])
  expect(run.code).toBe(1)
  CASES.forEach((c, index) => verdicts.set(c.name, run.verdicts[index]!))
  verdicts.set('untampered', run.verdicts.at(-1)!)
})

afterAll(() => workspace?.remove())

describe('tampering with a signed envelope (fedmsg sign → edit → fedmsg verify)', () => {
  it('the untampered line verifies, signed by bodhi', () => {
    expect(verdicts.get('untampered')).toMatchObject({ ok: true, signer: 'bodhi', topic: TOPIC })
  })

  it.each(titled(CASES))('%s', (_title, { name, reason, tamper }) => {
    expect(tamper(line).equals(line)).toBe(false)
    expectReason(verdicts.get(name), reason)
  })
})
