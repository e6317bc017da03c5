/**
 * The extendedKeyUsage OIDs of a certificate, read from the extension's DER. asn1js (under @peculiar/x509)
 * decodes an arc above 2^53, like the fedmsg EKU's, to a placeholder string; on Node the verifier reads EKUs
 * through OpenSSL instead (src/crypto/chain/certificate-profile.ts), so here the DER is decoded with BigInt.
 */
export function ekuOidsOf(extensionValue: Uint8Array): string[] | undefined {
  let at = 0
  const length = (): number => {
    const first = extensionValue[at++]!
    if (first < 0x80) return first
    let value = 0
    for (let n = first & 0x7f; n > 0; n--) value = value * 256 + extensionValue[at++]!
    return value
  }
  // ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (RFC 5280 §4.2.1.12)
  if (extensionValue[at++] !== 0x30) return undefined
  const end = length() + at
  if (end !== extensionValue.length) return undefined
  const oids: string[] = []
  while (at < end) {
    if (extensionValue[at++] !== 0x06) return undefined
    const size = length()
    const content = extensionValue.subarray(at, at + size)
    if (content.length !== size || size === 0) return undefined
    oids.push(decodeOid(content))
    at += size
  }
  return oids
}

// X.690 §8.19: base-128 sub-identifiers; the first one holds the first two arcs.
function decodeOid(content: Uint8Array): string {
  const arcs: bigint[] = []
  let value = 0n
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f)
    if ((byte & 0x80) === 0) {
      arcs.push(value)
      value = 0n
    }
  }
  const first = arcs[0]!
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n]
  return [...head, ...arcs.slice(1)].join('.')
}
