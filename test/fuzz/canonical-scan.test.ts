/**
 * Differential fuzz of the single-pass canonical scan (src/crypto/canonical-scan.ts) against the rule's
 * definition: JSON.parse, then json-canonicalize must give back the text, with no lone surrogate, no member
 * named `toJSON` and no nesting past the limit (docs/protocol.md §2.1). The two must agree on every text.
 *
 *   npx vitest run test/fuzz/canonical-scan.test.ts   # CI: 300 generated texts per property
 *   npm run fuzz:canonical                              # 1,000,000 generated texts, random seed (niced: minutes)
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { canonicalize } from 'json-canonicalize'
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_NESTING_DEPTH, scanCanonical } from '../../src/crypto/canonical-scan.js'
import { parseCanonicalText } from '../../src/crypto/canonical.js'
import { VECTORS_DIR } from '../crypto/vector-files.js'
import { editsOf, jsonText } from './json-text-arbitraries.js'
import { FUZZ_PARAMETERS, FUZZ_TIMEOUT_MS, RUNS } from './fuzz-kit.js'

const LONE_SURROGATE = /[\ud800-\udfff]/u

/** Nesting depth of a parsed value (a scalar is 0), and whether it holds a hazard; iterative. */
function inspect(root: unknown): { depth: number; hazard: boolean } {
  const pending: [unknown, number][] = [[root, 0]]
  let depth = 0
  let hazard = false
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [value, level] = item
    if (typeof value === 'string') hazard ||= LONE_SURROGATE.test(value)
    if (typeof value !== 'object' || value === null) continue
    depth = Math.max(depth, level + 1)
    for (const [name, member] of Object.entries(value)) {
      hazard ||= !Array.isArray(value) && (LONE_SURROGATE.test(name) || name === 'toJSON')
      pending.push([member, level + 1])
    }
  }
  return { depth, hazard }
}

/** The rule by its definition. */
function acceptedByDefinition(text: string, outerDepth: number): boolean {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return false
  }
  const { depth, hazard } = inspect(parsed)
  if (hazard || outerDepth + depth > MAX_NESTING_DEPTH) return false
  try {
    return canonicalize(parsed) === text
  } catch {
    return false // a number JSON.parse made Infinity
  }
}

const tally = { texts: 0, accepted: 0 }

function expectAgreement(text: string): void {
  for (const outerDepth of [0, 1]) {
    const expected = acceptedByDefinition(text, outerDepth)
    tally.texts++
    if (expected) tally.accepted++
    if (scanCanonical(text, outerDepth) !== expected) {
      // Named in the failure, so that the text can be replayed as a unit test.
      expect({ text, outerDepth, scan: !expected }).toEqual({ text, outerDepth, scan: expected })
    }
  }
}

/** Every envelope frame of the published vectors that is text. */
function vectorTexts(): string[] {
  const texts: string[] = []
  for (const file of readdirSync(VECTORS_DIR).filter((name) => name.endsWith('.json'))) {
    const vector = JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8')) as {
      envelope_frame?: string
      envelope_frames?: string[]
      frames?: string[]
    }
    texts.push(
      ...[vector.envelope_frame ?? [], vector.envelope_frames ?? [], vector.frames ?? []].flat(),
    )
  }
  return texts
}

// The spellings of test/adversarial/canonicalization.test.ts and docs/protocol.md §2.1, as bare texts.
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`
const ATTACKS = [
  '{"i":2,"i":1}',
  '{"a":{"agent":"mallory","agent":"lmacken"}}',
  '{"s":"\\ud800"}',
  '{"s":"a\\udc00b"}',
  '{"\\ud83d":1}',
  '{"s":"\\ud83d\\ude00"}',
  '{"s":"😀\\u0000\u2028"}',
  '{"karma":-0}',
  '{"n":1e21}',
  '{"n":1E+21}',
  '{"n":1e+21}',
  '{"n":1e400}',
  '{"n":9007199254740993}',
  '{"n":9007199254740992}',
  '{"n":0.0}',
  '{"i":01}',
  '{"d":' + deep(100_000) + '}',
  '{"d":' + deep(MAX_NESTING_DEPTH - 1) + '}',
  '{"d":' + deep(MAX_NESTING_DEPTH) + '}',
  deep(MAX_NESTING_DEPTH),
  deep(MAX_NESTING_DEPTH + 1),
  '{"constructor":"x","hasOwnProperty":1}',
  '{"__proto__":{"admin":true}}',
  '{"toJSON":1}',
  '{"a":{"toJSON":null}}',
  '{"10":1,"9":2}',
  '{"9":2,"10":1}',
  '{"a":1} ',
  ' {"a":1}',
  '{"a" :1}',
  '\ufeff{"a":1}',
  '{"a":"\\/"}',
  '{"a":"\\u0041"}',
  '{"a":"\\u001F"}',
  '{"a":"\\u001f"}',
  '{"a":"\\u0008"}',
  '{"a":"\\b\\t\\n\\f\\r\\"\\\\"}',
  '{"a":"\u007f"}',
  '{"a":"\\u007f"}',
  '{"a":1}{"a":1}',
  '{"a":1,}',
  '[1,]',
  '',
  '"x"',
  '1',
  'null',
]

describe('fuzz: the canonical scan agrees with JSON.parse + json-canonicalize', () => {
  afterAll(() => {
    if (RUNS > 1000) {
      process.stderr.write(
        `canonical scan: ${tally.texts.toLocaleString('en')} checks, ${tally.accepted.toLocaleString('en')} accepted, 0 disagreements\n`,
      )
    }
  })

  it('on every published vector and every attack spelling', () => {
    for (const text of [...vectorTexts(), ...ATTACKS]) expectAgreement(text)
  })

  it('on generated texts', { timeout: FUZZ_TIMEOUT_MS }, () => {
    fc.assert(fc.property(jsonText, expectAgreement), FUZZ_PARAMETERS)
  })

  it('on edits of the published vectors and attacks', { timeout: FUZZ_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(
        editsOf([...vectorTexts(), ...ATTACKS.filter((t) => t.length < 5000)]),
        expectAgreement,
      ),
      { ...FUZZ_PARAMETERS, numRuns: Math.max(300, Math.floor(RUNS / 10)) },
    )
  })

  it('parseCanonicalText returns what JSON.parse returns whenever the scan accepts', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        fc.pre(scanCanonical(text, 0))
        expect(parseCanonicalText(text)).toEqual(JSON.parse(text))
      }),
      { ...FUZZ_PARAMETERS, numRuns: 300 },
    )
  })
})
