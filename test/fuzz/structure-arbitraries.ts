/**
 * Structure-aware edits for the fuzz properties: ASN.1 edits of the DER certificates in `x5c` (a field's
 * content, tag, presence, order, or its length encoding), and base64 edits of `signature` and `x5c` elements
 * (of the decoded bytes, re-encoded canonically, or of the text: padding, alphabet, whitespace, spare bits).
 */
import fc from 'fast-check'
import { allNodes, cloneDer, derLength, encodeDer, parseDer, type DerNode } from './der-tree.js'
import { applyByteEdit, byteEdit } from './envelope-arbitraries.js'

/** Tags worth swapping in: the universal types certificates use, and the context tags of TBSCertificate. */
const TAGS = [
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x30, 0x31, 0x80, 0x81, 0xa0,
  0xa3,
]

/** Contents worth swapping in: empty, zero, sign bits, long, and OIDs of other algorithms and extensions. */
const VALUES = [
  '',
  '00',
  '80',
  'ff',
  '0000000000000000000000000000000001',
  '2a864886f70d010105', // sha1WithRSAEncryption
  '2a8648ce3d040301', // ecdsa-with-SHA1
  '2a8648ce3d040303', // ecdsa-with-SHA384
  '2b6570', // Ed25519
  '551d13', // basicConstraints
  '551d0f', // keyUsage
  '551d25', // extKeyUsage
  '3003010101', // SEQUENCE { BOOLEAN TRUE }: cA
  '3231303130313030303030305a', // "210101000000Z"
].map((hex) => Buffer.from(hex, 'hex'))

// Content edits keep the certificate parseable more often, so they are weighted up: those mutants get past
// the DER parser to path validation (issuer, signature, extensions, dates).
export const derEdit = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('content' as const), at: fc.nat(), edit: byteEdit }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('value' as const),
      at: fc.nat(),
      value: fc.constantFrom(...VALUES),
    }),
    weight: 3,
  },
  fc.record({ kind: fc.constant('tag' as const), at: fc.nat(), tag: fc.constantFrom(...TAGS) }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), child: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), child: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), child: fc.nat() }),
  fc.record({ kind: fc.constant('graft' as const), at: fc.nat(), from: fc.nat(), donor: fc.nat() }),
  fc.record({
    kind: fc.constant('length' as const),
    at: fc.nat(),
    form: fc.constantFrom('long' as const, 'short-by-one' as const, 'long-by-one' as const),
  }),
)
export type DerEdit = typeof derEdit extends fc.Arbitrary<infer T> ? T : never

/** Edits of the certificates of `x5c`: which element, which edits, and whether to append the root. */
export const x5cEdit = fc.record({
  element: fc.nat(),
  edits: fc.array(derEdit, { minLength: 1, maxLength: 3 }),
  appendRoot: fc.boolean(),
})

/**
 * Applies `edits` to the certificate `der`, with `donors` (other certificates) to graft fields from; returns
 * the new encoding. Lengths are recomputed unless a `length` edit says how to lie about one.
 */
export function applyDerEdits(
  der: Buffer,
  edits: readonly DerEdit[],
  donors: readonly Buffer[],
): Buffer {
  const root = parseDer(der)?.[0]
  if (root === undefined) return der
  const tree = cloneDer(root)
  const lengths = new Map<DerNode, DerEdit & { kind: 'length' }>()
  for (const edit of edits) {
    const nodes = allNodes(tree)
    const node = nodes[edit.at % nodes.length]!
    const children = node.children ?? []
    const child = 'child' in edit && children.length > 0 ? edit.child % children.length : 0
    switch (edit.kind) {
      case 'content':
        node.value = applyByteEdit(node.children ? encodeChildren(node) : node.value, edit.edit)
        delete node.children
        break
      case 'value':
        node.value = Buffer.from(edit.value)
        delete node.children
        break
      case 'tag':
        node.tag = edit.tag
        break
      case 'drop':
        children.splice(child, 1)
        break
      case 'duplicate':
        if (children.length > 0) children.splice(child, 0, cloneDer(children[child]!))
        break
      case 'swap':
        if (children.length > 1) {
          const next = (child + 1) % children.length
          ;[children[child], children[next]] = [children[next]!, children[child]!]
        }
        break
      case 'graft': {
        const donorRoot = parseDer(donors[edit.donor % donors.length]!)?.[0]
        if (donorRoot === undefined) break
        const donorNodes = allNodes(donorRoot)
        Object.assign(node, cloneDer(donorNodes[edit.from % donorNodes.length]!))
        if (donorNodes[edit.from % donorNodes.length]!.children === undefined) delete node.children
        break
      }
      case 'length':
        lengths.set(node, edit)
        break
    }
  }
  return encodeDer(tree, (node, length) => {
    const lie = lengths.get(node)
    if (lie === undefined) return derLength(length)
    if (lie.form === 'long') return Buffer.from([0x82, length >> 8, length & 0xff])
    return derLength(Math.max(0, length + (lie.form === 'short-by-one' ? -1 : 1)))
  })
}

function encodeChildren(node: DerNode): Buffer {
  return Buffer.concat((node.children ?? []).map((child) => encodeDer(child)))
}

/** Text tricks on base64 a lenient decoder would forgive. */
const TEXT_EDITS = [
  'strip-padding',
  'url-safe',
  'line-break',
  'space',
  'spare-bits',
  'extra-padding',
] as const

export const base64Edit = fc.oneof(
  byteEdit.map((edit) => ({ level: 'bytes' as const, edit })),
  fc.record({
    level: fc.constant('text' as const),
    trick: fc.constantFrom(...TEXT_EDITS),
    at: fc.nat(),
  }),
)
export type Base64Edit = typeof base64Edit extends fc.Arbitrary<infer T> ? T : never

/** Applies one base64 edit to the canonical base64 `text`. */
export function applyBase64Edit(text: string, edit: Base64Edit): string {
  if (edit.level === 'bytes')
    return applyByteEdit(Buffer.from(text, 'base64'), edit.edit).toString('base64')
  const at = text.length === 0 ? 0 : edit.at % text.length
  switch (edit.trick) {
    case 'strip-padding':
      return text.replace(/=+$/, '')
    case 'url-safe':
      return text.replace(/\+/g, '-').replace(/\//g, '_')
    case 'line-break':
      return `${text.slice(0, at)}\n${text.slice(at)}`
    case 'space':
      return `${text.slice(0, at)} ${text.slice(at)}`
    case 'extra-padding':
      return `${text}=`
    case 'spare-bits': {
      // The last character before padding carries bits no byte uses: set them. Same bytes, other text.
      const body = text.replace(/=+$/, '')
      const padding = text.slice(body.length)
      if (padding === '') return `${text}A`
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
      const last = alphabet.indexOf(body.at(-1)!)
      return `${body.slice(0, -1)}${alphabet[last | (padding.length === 2 ? 0x0f : 0x03)]}${padding}`
    }
  }
}
