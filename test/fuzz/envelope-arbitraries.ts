/**
 * fast-check generators of hostile input: envelopes whose members are each either plausible or wild, edits of
 * a healthy frame (bytes and JSON members), and raw bytes. Plausible values are weighted up so that runs get
 * past parsing and reach the chain, policy and signature checks.
 */
import fc from 'fast-check'
import { ALL_ALGS } from '../../src/crypto/algorithms.js'
import { canonicalBytes } from '../../src/crypto/canonical.js'
import type { Pki } from '../fixtures/pki.js'
import { NOW, TOPIC } from './fuzz-kit.js'

export type Json = ReturnType<typeof JSON.parse>

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const json = fc.jsonValue({ maxDepth: 3 })
/** Strings of any UTF-16 code units, lone surrogates included. */
const anyString = fc.string({ unit: 'binary', maxLength: 20 })
/** Objects with the member names JavaScript treats specially. */
const trickyObject = fc.constantFrom<Json>(
  JSON.parse('{"__proto__":{"admin":true}}'),
  { toJSON: 'x' },
  { constructor: { prototype: 1 } },
  { a: { toJSON: null } },
  { s: '\ud800' },
)

/** Per member: a plausible value (weight 6) or a wild one (weight 1). */
function members(pki: Pki) {
  const mix = <T>(good: fc.Arbitrary<T>, wild: fc.Arbitrary<unknown>) =>
    fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: wild, weight: 1 })
  const certificates = [pki.leaf.der, pki.intermediate.der, pki.root.der, pki.otherLeaf.der]
  const x5cElement = fc.oneof(
    fc.constantFrom(...certificates.map(b64)),
    fc.uint8Array({ maxLength: 64 }).map(b64),
    anyString,
  )
  return {
    v: mix(fc.constant('fedmsg/1'), fc.oneof(fc.constantFrom('fedmsg/2', '', 'FEDMSG/1'), json)),
    topic: mix(
      fc.constant(TOPIC),
      fc.oneof(fc.stringMatching(/^[a-z_-]{1,4}(\.[a-z*>]{1,4}){0,3}$/), anyString, json),
    ),
    msg: mix(fc.dictionary(fc.string(), json, { maxKeys: 4 }), fc.oneof(json, trickyObject)),
    msg_id: mix(
      fc.uuid({ version: 4 }).map((uuid) => `2026-${uuid}`),
      fc.oneof(anyString, json),
    ),
    timestamp: mix(
      fc.constantFrom(NOW, NOW - 1, NOW + 1),
      fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(0, -1, 2 ** 53, NOW + 1e10),
        json,
      ),
    ),
    i: mix(
      fc.integer({ min: 1, max: 9 }),
      fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), json),
    ),
    headers: mix(
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
      fc.oneof(json, trickyObject),
    ),
    alg: mix(
      fc.constantFrom(...ALL_ALGS),
      fc.oneof(fc.constantFrom('none', 'HS256', 'es256'), anyString, json),
    ),
    x5c: mix(
      fc.constant([pki.leaf.der, pki.intermediate.der].map(b64)),
      fc.oneof(fc.array(x5cElement, { maxLength: 6 }), json),
    ),
    signature: mix(
      fc.uint8Array({ minLength: 64, maxLength: 64 }).map(b64),
      fc.oneof(fc.base64String(), anyString, json),
    ),
  }
}

/**
 * An envelope: each member present with probability 11/12, maybe an unknown extra member, maybe signed
 * honestly. `signHonestly` asks the property to sign it with the healthy leaf key, so that an envelope with
 * only plausible members can verify.
 */
export function arbitraryEnvelope(pki: Pki) {
  const { signature, ...unsigned } = members(pki)
  const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { freq: 12 })
  const present = Object.fromEntries(
    Object.entries(unsigned).map(([name, arbitrary]) => [name, maybe(arbitrary)]),
  ) as { [K in keyof typeof unsigned]: fc.Arbitrary<unknown> }
  return fc.record({
    envelope: fc
      .record(present)
      .map((values) =>
        Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null)),
      ),
    signature: maybe(signature),
    extra: fc.oneof(
      { arbitrary: fc.constant(null), weight: 5 },
      fc.dictionary(anyString, json, { minKeys: 1, maxKeys: 2 }),
    ),
    signHonestly: fc.boolean(),
    canonical: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)),
  })
}

/** Serializes an envelope canonically, or as insertion-ordered JSON (not canonical once members are sorted differently). */
export function serialize(value: unknown, canonical: boolean): Buffer {
  try {
    return canonical ? canonicalBytes(value) : Buffer.from(JSON.stringify(value))
  } catch {
    return Buffer.from(JSON.stringify(value) ?? 'null')
  }
}

/** One byte-level edit of a frame; positions are taken modulo the frame's length. */
export const byteEdit = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc
      .constantFrom(' ', ',', '"', '{}', '[]', '\\', '0', '-', 'e1', '\\u0000', '\r\n', '\ufeff')
      .map((text) => Buffer.from(text)),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
)
export type ByteEdit = typeof byteEdit extends fc.Arbitrary<infer T> ? T : never

export function applyByteEdit(frame: Buffer, edit: ByteEdit): Buffer {
  const at = frame.length === 0 ? 0 : edit.at % frame.length
  switch (edit.kind) {
    case 'flip':
    case 'set': {
      const copy = Buffer.from(frame)
      if (copy.length > 0) copy[at] = edit.kind === 'flip' ? copy[at]! ^ (1 << edit.bit) : edit.byte
      return copy
    }
    case 'insert':
      return Buffer.concat([frame.subarray(0, at), edit.bytes, frame.subarray(at)])
    case 'delete':
      return Buffer.concat([frame.subarray(0, at), frame.subarray(at + edit.length)])
    case 'truncate':
      return frame.subarray(0, at)
  }
}

const MEMBER_NAMES = [
  'v',
  'topic',
  'msg',
  'msg_id',
  'timestamp',
  'i',
  'headers',
  'alg',
  'x5c',
  'signature',
]

/** One JSON-level edit: set, delete or add a top-level member, or set or delete a member of msg or headers. */
export const memberEdit = fc.record({
  target: fc.constantFrom('envelope', 'msg', 'headers'),
  name: fc.oneof(
    fc.constantFrom(...MEMBER_NAMES, 'update', 'trace', '__proto__', 'toJSON'),
    fc.string({ maxLength: 6 }),
  ),
  value: fc.option(fc.oneof(json, trickyObject), { freq: 4 }),
})
export type MemberEdit = typeof memberEdit extends fc.Arbitrary<infer T> ? T : never

/** Applies a member edit to a parsed envelope (in place); a null value deletes. */
export function applyMemberEdit(envelope: Record<string, unknown>, edit: MemberEdit): void {
  const nested = envelope[edit.target]
  const target =
    edit.target === 'envelope'
      ? envelope
      : typeof nested === 'object' && nested !== null
        ? (nested as Record<string, unknown>)
        : envelope
  if (edit.value === null) delete target[edit.name]
  else
    Object.defineProperty(target, edit.name, {
      value: edit.value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
}
