/**
 * Canonicalization and parsing: every spelling trick that makes two JSON parsers disagree, or makes the signed
 * bytes differ from what a consumer acts on. Each line is signed honestly over its canonical form and then
 * re-spelled; the one rule of docs/protocol.md §2.1 (frame == JCS(parse(frame))) must refuse each re-spelling
 * as `malformed`, and must not refuse canonical oddities (controls). One `fedmsg verify` run judges all lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalBytes, MAX_NESTING_DEPTH } from '../../src/crypto/canonical.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { RejectReason } from '../../src/errors.js'
import type { Pki } from '../fixtures/pki.js'
import { expectVerdict, judgeTable, openAttackKit } from './attack-kit.js'
import { expectReason, titled, type Verdict, type Workspace } from './cli-runner.js'
import {
  envelopeMembers,
  replaceBytes,
  signedFrame,
  TOPIC,
  type Members,
} from './forge-envelope.js'

const DEPTH = 100_000

let pki: Pki
let workspace: Workspace

/** A frame signed honestly over `msg` (and `extra` top-level members). */
function signedWith(msg: unknown, extra: Members = {}): Buffer {
  const members = { ...envelopeMembers(Date.now(), pki.chain), msg, ...extra }
  return signedFrame(members, pki.leafKey)
}
const base = () => signedWith({ agent: 'lmacken', karma: 0, note: 'A/B é' })
/** `base()` with the first `from` re-spelled as `to`. */
const respell = (from: string, to: string | Uint8Array) => () => replaceBytes(base(), from, to)
const hex = (bytes: string) => Buffer.from(bytes, 'hex')
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

const CASES: readonly { name: string; reason: RejectReason | 'ok'; make: () => Buffer }[] = [
  // Controls: canonical oddities are not refused.
  { name: 'control: the base frame', reason: 'ok', make: base },
  {
    name: 'control: 1e21 spelled 1e+21 (its JCS form)',
    reason: 'ok',
    make: () => signedWith({ n: 1e21 }),
  },
  { name: 'control: 2^53 exactly', reason: 'ok', make: () => signedWith({ n: 2 ** 53 }) },
  {
    name: 'control: emoji, NUL, U+2028 in strings',
    reason: 'ok',
    make: () => signedWith({ s: '😀\u0000\u2028' }),
  },
  {
    name: 'control: "constructor" member in msg',
    reason: 'ok',
    make: () => signedWith({ constructor: 'x' }),
  },
  {
    name: 'control: "hasOwnProperty" member in msg',
    reason: 'ok',
    make: () => signedWith({ hasOwnProperty: 1 }),
  },
  {
    name: 'control: "__proto__" member in msg',
    reason: 'ok',
    make: () => signedWith(JSON.parse('{"__proto__":{"admin":true}}')),
  },
  {
    name: 'control: 1000 levels of nesting',
    reason: 'ok',
    make: () => signedWith(JSON.parse(`{"d":${deep(1000)}}`)),
  },
  // Duplicate members: first-wins and last-wins parsers would disagree.
  {
    name: 'duplicate top-level member, signed value last',
    reason: 'malformed',
    make: respell('"i":1,', '"i":2,"i":1,'),
  },
  {
    name: 'duplicate top-level member, signed value first',
    reason: 'malformed',
    make: respell('"i":1,', '"i":1,"i":2,'),
  },
  {
    name: 'duplicate member in msg',
    reason: 'malformed',
    make: respell('"agent":"lmacken"', '"agent":"mallory","agent":"lmacken"'),
  },
  // Strings that are not Unicode text.
  {
    name: 'lone high surrogate in a value',
    reason: 'malformed',
    make: () => signedWith({ s: '\ud800' }),
  },
  {
    name: 'lone low surrogate in a value',
    reason: 'malformed',
    make: () => signedWith({ s: 'a\udc00b' }),
  },
  {
    name: 'lone surrogate in a member name',
    reason: 'malformed',
    make: () => signedWith({ '\ud83d': 1 }),
  },
  { name: 'invalid UTF-8 byte 0xff', reason: 'malformed', make: respell('lmacken', hex('6cff')) },
  { name: 'overlong UTF-8 for "/"', reason: 'malformed', make: respell('A/B', hex('41c0af42')) },
  {
    name: 'UTF-8 encoded surrogate (CESU-8)',
    reason: 'malformed',
    make: respell('lmacken', hex('eda080')),
  },
  { name: 'truncated UTF-8 sequence', reason: 'malformed', make: respell('lmacken', hex('e282')) },
  // Numbers.
  { name: '-0', reason: 'malformed', make: respell('"karma":0', '"karma":-0') },
  {
    name: '1e21 (JCS spells it 1e+21)',
    reason: 'malformed',
    make: () => replaceBytes(signedWith({ n: 1e21 }), '1e+21', '1e21'),
  },
  {
    name: '1E+21',
    reason: 'malformed',
    make: () => replaceBytes(signedWith({ n: 1e21 }), '1e+21', '1E+21'),
  },
  { name: '1e400 (Infinity)', reason: 'malformed', make: respell('"karma":0', '"karma":1e400') },
  {
    name: '2^53 + 1',
    reason: 'malformed',
    make: () => replaceBytes(signedWith({ n: 2 ** 53 }), '9007199254740992', '9007199254740993'),
  },
  { name: '0.0', reason: 'malformed', make: respell('"karma":0', '"karma":0.0') },
  { name: 'a leading zero', reason: 'malformed', make: respell('"i":1', '"i":01') },
  // Depth: refused without a crash, and the next line is still judged.
  {
    name: `${DEPTH} levels of nesting`,
    reason: 'malformed',
    make: () => respell('"karma":0', `"karma":${deep(DEPTH)}`)(),
  },
  { name: 'control: the line after the deep one', reason: 'ok', make: base },
  // The protocol's nesting limit (docs/protocol.md §2.1): envelope 1, msg 2, the array in "d" 3 and deeper.
  {
    name: `control: nesting at the limit (${MAX_NESTING_DEPTH} levels, envelope included)`,
    reason: 'ok',
    make: () => signedWith(JSON.parse(`{"d":${deep(MAX_NESTING_DEPTH - 2)}}`)),
  },
  {
    name: `one level past the nesting limit (${MAX_NESTING_DEPTH + 1}), validly signed`,
    reason: 'malformed',
    make: () => signedWith(JSON.parse(`{"d":${deep(MAX_NESTING_DEPTH - 1)}}`)),
  },
  // Members that JavaScript treats specially.
  {
    name: '"__proto__" at top level',
    reason: 'malformed',
    make: () => signedWith({}, JSON.parse('{"__proto__":{}}')),
  },
  { name: '"toJSON" in msg', reason: 'malformed', make: () => signedWith({ toJSON: 'x' }) },
  {
    name: '"toJSON" deep in msg',
    reason: 'malformed',
    make: () => signedWith({ a: [{ b: { toJSON: 1 } }] }),
  },
  {
    name: '"toJSON" in headers',
    reason: 'malformed',
    make: () => signedWith({}, { headers: { toJSON: 'x' } }),
  },
  {
    name: '"constructor" at top level',
    reason: 'malformed',
    make: () => signedWith({}, { constructor: 'x' }),
  },
  // Bodies that are not objects.
  { name: 'msg an array', reason: 'malformed', make: () => signedWith([1, 2]) },
  { name: 'msg a string', reason: 'malformed', make: () => signedWith('hello') },
  { name: 'msg null', reason: 'malformed', make: () => signedWith(null) },
  { name: 'msg a number', reason: 'malformed', make: () => signedWith(1) },
  {
    name: 'envelope an array',
    reason: 'malformed',
    make: () => canonicalBytes([JSON.parse(base().toString())]),
  },
  { name: 'envelope a string', reason: 'malformed', make: () => canonicalBytes(base().toString()) },
  { name: 'envelope null', reason: 'malformed', make: () => Buffer.from('null') },
  // Bytes around the object.
  {
    name: 'a BOM before it',
    reason: 'malformed',
    make: () => Buffer.concat([hex('efbbbf'), base()]),
  },
  {
    name: 'a second object after it',
    reason: 'malformed',
    make: () => Buffer.concat([base(), Buffer.from('{}')]),
  },
  {
    name: 'a space after it',
    reason: 'malformed',
    make: () => Buffer.concat([base(), Buffer.from(' ')]),
  },
  {
    name: 'a tab after it',
    reason: 'malformed',
    make: () => Buffer.concat([base(), Buffer.from('\t')]),
  },
  {
    name: 'a CRLF line ending',
    reason: 'malformed',
    make: () => Buffer.concat([base(), Buffer.from('\r')]),
  },
  {
    name: 'a NUL after it',
    reason: 'malformed',
    make: () => Buffer.concat([base(), Buffer.of(0)]),
  },
  {
    name: 'a space before it',
    reason: 'malformed',
    make: () => Buffer.concat([Buffer.from(' '), base()]),
  },
  { name: 'a space between members', reason: 'malformed', make: respell('","', '", "') },
  // Escapes and order.
  { name: '"\\u0041" for "A"', reason: 'malformed', make: respell('A/B', '\\u0041/B') },
  { name: '"\\/" for "/"', reason: 'malformed', make: respell('A/B', 'A\\/B') },
  { name: '"\\u00e9" for "é"', reason: 'malformed', make: respell('é', '\\u00e9') },
  {
    name: 'upper-case hex in "\\u001F"',
    reason: 'malformed',
    make: () => replaceBytes(signedWith({ c: '\u001f' }), '\\u001f', '\\u001F'),
  },
  {
    name: 'members out of order',
    reason: 'malformed',
    make: () => {
      const envelope = JSON.parse(base().toString()) as Members
      return Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(envelope).reverse())))
    },
  },
]

let verdicts: Map<string, Verdict>

beforeAll(async () => {
  const kit = await openAttackKit('fedmsg-canonical-')
  ;({ pki, workspace } = kit)
  verdicts = await judgeTable(workspace, CASES, (c) => c.make(), ['--ca', kit.files.root])
})

afterAll(() => workspace?.remove())

describe('canonical form (fedmsg verify)', () => {
  it.each(titled(CASES))('%s', (_title, { name, reason }) => {
    expectVerdict(verdicts.get(name), reason)
  })
})

describe('what a consumer is handed (library verifier)', () => {
  const verify = (frame: Buffer) =>
    new EnvelopeVerifier({ trustAnchors: pki.anchors }).verify(TOPIC, frame)

  it('a "__proto__" member of msg stays data: no prototype is changed, nothing is polluted', () => {
    const result = verify(signedWith(JSON.parse('{"__proto__":{"admin":true}}')))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(Object.getPrototypeOf(result.message.body)).toBe(Object.prototype)
    expect(Object.keys(result.message.body)).toEqual(['__proto__'])
    expect((result.message.body as { admin?: unknown }).admin).toBeUndefined()
    expect(({} as { admin?: unknown }).admin).toBeUndefined()
  })

  it('a "__proto__" header stays data in the frozen headers', () => {
    const result = verify(signedWith({}, { headers: JSON.parse('{"__proto__":"x"}') }))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(Object.getPrototypeOf(result.message.headers)).toBe(Object.prototype)
    expect(Object.getOwnPropertyNames(result.message.headers)).toEqual(['__proto__'])
  })

  it(`${DEPTH} levels of nesting in a string frame → malformed, and the verifier keeps working`, () => {
    const verifier = new EnvelopeVerifier({ trustAnchors: pki.anchors })
    const frame = respell('"karma":0', `"karma":${deep(DEPTH)}`)()
    expectReason(verifier.verify(TOPIC, frame.toString()), 'malformed')
    expect(verifier.verify(TOPIC, base()).ok).toBe(true)
  })
})
