/**
 * A minimal ASN.1 DER tree for structure-aware fuzzing of certificates: parse TLVs (single-byte tags, definite
 * lengths), edit the tree, and encode it again with the lengths recomputed, so that a mutation changes what a
 * field holds while the bytes around it stay well-formed. Anything it cannot parse stays an opaque value.
 */

export interface DerNode {
  tag: number
  /** Present for constructed nodes (tag bit 0x20) that parsed completely. */
  children?: DerNode[]
  /** The content of a primitive node, or of a constructed one whose content did not parse. */
  value: Buffer
}

/** The TLVs of `bytes` in order, or undefined unless they cover it exactly. */
export function parseDer(bytes: Buffer): DerNode[] | undefined {
  const nodes: DerNode[] = []
  let at = 0
  while (at < bytes.length) {
    const tag = bytes[at]!
    if ((tag & 0x1f) === 0x1f || at + 1 >= bytes.length) return undefined
    let length = bytes[at + 1]!
    let start = at + 2
    if (length & 0x80) {
      const count = length & 0x7f
      if (count === 0 || count > 3 || start + count > bytes.length) return undefined
      length = bytes.subarray(start, start + count).reduce((n, byte) => n * 256 + byte, 0)
      start += count
    }
    const end = start + length
    if (end > bytes.length) return undefined
    const value = bytes.subarray(start, end)
    const children = tag & 0x20 ? parseDer(value) : undefined
    nodes.push(children === undefined ? { tag, value } : { tag, children, value })
    at = end
  }
  return nodes
}

/** The DER length octets of `length` (shortest form). */
export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const octets: number[] = []
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256)
  return Buffer.from([0x80 | octets.length, ...octets])
}

/** Encodes `node`; `lengthOf` may choose other length octets (BER long forms, lies) for fuzzing. */
export function encodeDer(
  node: DerNode,
  lengthOf: (node: DerNode, length: number) => Buffer = (_, length) => derLength(length),
): Buffer {
  const content =
    node.children === undefined
      ? node.value
      : Buffer.concat(node.children.map((child) => encodeDer(child, lengthOf)))
  return Buffer.concat([Buffer.from([node.tag]), lengthOf(node, content.length), content])
}

/** Every node of the tree in pre-order, the root first. */
export function allNodes(root: DerNode): DerNode[] {
  return [root, ...(root.children ?? []).flatMap(allNodes)]
}

/** A deep copy, so that one run's mutations never leak into the next. */
export function cloneDer(node: DerNode): DerNode {
  return node.children === undefined
    ? { tag: node.tag, value: Buffer.from(node.value) }
    : { tag: node.tag, children: node.children.map(cloneDer), value: node.value }
}
