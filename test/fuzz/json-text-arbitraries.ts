/**
 * Structure-aware JSON texts for the differential fuzz of the canonical scan: values written mostly as JCS
 * writes them, with spelling variants at every place one can hide: numbers (exponents, -0, large integers,
 * leading zeros, 1e400), strings (every escape form, lone and paired surrogates, raw controls), member order
 * and repeats, whitespace, nesting past the limit, and single-character edits of the whole text. About half
 * of the texts are accepted, so both answers are exercised.
 */
import fc from 'fast-check'
import { MAX_NESTING_DEPTH } from '../../src/crypto/canonical-scan.js'

/** Mostly nothing; sometimes JSON whitespace, or characters JSON does not count as whitespace. */
const space = fc.oneof(
  { weight: 40, arbitrary: fc.constant('') },
  fc.constantFrom(' ', '\n', '\t', '\r', '\u00a0', '\ufeff', '\u2028'),
)

const NUMBER_SPELLINGS = [
  '-0',
  '0.0',
  '-0.0',
  '0e0',
  '1e21',
  '1e+21',
  '1E+21',
  '1e400',
  '-1e400',
  '01',
  '.5',
  '1.',
  '-',
  '+1',
  '1e-7',
  '1e-07',
  '0.0000001',
  '9007199254740992',
  '9007199254740993',
  '5e-324',
  '1.7976931348623157e+308',
  '2e308',
  '100',
  '1e2',
  'Infinity',
  'NaN',
  '0x10',
]

const double = fc.double({ noNaN: true, noDefaultInfinity: true })

/** A number token: usually its JCS spelling, else another spelling of the same or a nearby value. */
const numberText = fc.oneof(
  { weight: 6, arbitrary: double.map(String) },
  { weight: 4, arbitrary: fc.integer().map(String) },
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  double.map((n) => n.toExponential()),
  double.map((n) => n.toPrecision(17)),
  fc.constantFrom(...NUMBER_SPELLINGS),
)

const literalText = fc.constantFrom('true', 'false', 'null', 'tru', 'nul', 'True', 'nulll')

/** Code units that matter: quote, backslash, controls, DEL, separators, surrogates alone and paired. */
const TRICKY_UNITS = [
  '"',
  '\\',
  '/',
  '\u0000',
  '\u0001',
  '\b',
  '\t',
  '\n',
  '\f',
  '\r',
  '\u001f',
  '\u007f',
  '\u2028',
  'é',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ud83d\ude00',
  'A',
  'a',
  '0',
  '9',
]
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_UNITS) },
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('b', 'z', '~'),
)

const hex4 = (code: number) => code.toString(16).padStart(4, '0')

/** One piece of a string literal's text: a unit as JCS writes it, or another way to write (or break) it. */
const stringPiece = fc.oneof(
  { weight: 12, arbitrary: unit.map((u) => JSON.stringify(u).slice(1, -1)) },
  unit.map((u) => [...u].map((c) => `\\u${hex4(c.charCodeAt(0))}`).join('')),
  unit.map((u) => [...u].map((c) => `\\u${hex4(c.charCodeAt(0)).toUpperCase()}`).join('')),
  unit, // raw: a raw quote, backslash, control or lone surrogate
  fc.constantFrom(
    '\\/',
    '\\u002F',
    '\\uD83D\\uDE00',
    '\\ud83d\\ude00',
    '\\x41',
    '\\',
    '\\u12',
    '\\U0041',
  ),
)

/** A string literal, as text. */
const stringText = fc.array(stringPiece, { maxLength: 6 }).map((pieces) => `"${pieces.join('')}"`)

/** Member names: a few shared ones so that repeats happen, index-like names, names JavaScript treats specially. */
const nameText = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        'a',
        'b',
        'B',
        '',
        '10',
        '9',
        '1',
        'toJSON',
        '__proto__',
        'constructor',
        'é',
        '\ud83d\ude00',
        '\uff61',
        'a\u0000',
      )
      .map((name) => JSON.stringify(name)),
  },
  stringText,
)

function parsedName(text: string): string | undefined {
  try {
    const name: unknown = JSON.parse(text)
    return typeof name === 'string' ? name : undefined
  } catch {
    return undefined
  }
}

/** Members sorted by their parsed names (JCS order) unless asked not to; unparseable names stay in place. */
function ordered(members: [string, string][], sort: boolean): [string, string][] {
  if (!sort) return members
  return [...members].sort(([a], [b]) => {
    const [x, y] = [parsedName(a), parsedName(b)]
    if (x === undefined || y === undefined || x === y) return 0
    return x < y ? -1 : 1
  })
}

const closing = fc.oneof({ weight: 20, arbitrary: fc.constant('') }, fc.constant(','))

const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: numberText },
    { weight: 3, arbitrary: stringText },
    literalText,
    { weight: 2, arbitrary: tie('array') },
    { weight: 3, arbitrary: tie('object') },
  ),
  array: fc
    .tuple(fc.array(fc.tuple(space, tie('value'), space), { maxLength: 5 }), closing)
    .map(([items, extra]) => `[${items.map((i) => i.join('')).join(',')}${extra}]`),
  object: fc
    .tuple(
      fc.array(fc.tuple(nameText, tie('value')), { maxLength: 5 }),
      fc.oneof({ weight: 8, arbitrary: fc.constant(true) }, fc.constant(false)),
      space,
      closing,
    )
    .map(
      ([members, sort, gap, extra]) =>
        `{${ordered(members, sort)
          .map(([name, member]) => `${name}${gap}:${member}`)
          .join(',')}${extra}}`,
    ),
}))

/** Arrays or objects nested around the limit, at the top or inside a member. */
const deepText = fc
  .tuple(
    fc.integer({ min: MAX_NESTING_DEPTH - 3, max: MAX_NESTING_DEPTH + 3 }),
    fc.constantFrom('[', '{"a":'),
    value,
  )
  .map(([depth, open, inner]) => {
    const close = open === '[' ? ']' : '}'
    return `${open.repeat(depth)}${inner}${close.repeat(depth)}`
  })

/** One character inserted, removed or replaced, from those that matter to JSON. */
const textEdit = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  char: fc.constantFrom(...'{}[]",:\\ 0-1.eE+tfnu\ud800'.split('')),
})

export function applyTextEdit(
  text: string,
  edit: typeof textEdit extends fc.Arbitrary<infer T> ? T : never,
): string {
  const at = text.length === 0 ? 0 : edit.at % text.length
  const keep = edit.kind === 'insert' ? at : at + 1
  return text.slice(0, at) + (edit.kind === 'delete' ? '' : edit.char) + text.slice(keep)
}

/** A JSON text, or a near miss, with optional whitespace around it and one optional edit. */
export const jsonText = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: value }, deepText),
    space,
    space,
    fc.option(textEdit, { freq: 6 }),
  )
  .map(([text, before, after, edit]) => {
    const spaced = `${before}${text}${after}`
    return edit === null ? spaced : applyTextEdit(spaced, edit)
  })

/** Single-character edits of a given text (a published vector, an attack). */
export const editsOf = (texts: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...texts), fc.array(textEdit, { maxLength: 2 }))
    .map(([text, edits]) => edits.reduce(applyTextEdit, text))
