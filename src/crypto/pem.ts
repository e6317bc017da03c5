/** PEM labels fedmsg writes and reads (RFC 7468). OpenSSL only reads a CRL labelled `X509 CRL`. */
export const PEM_LABEL = {
  certificate: 'CERTIFICATE',
  crl: 'X509 CRL',
  privateKey: 'PRIVATE KEY',
  encryptedPrivateKey: 'ENCRYPTED PRIVATE KEY',
} as const

// The blocks @peculiar/x509's PemConverter.decodeWithHeaders finds (its `rPem`), so that fedmsg reads the same
// PEM files it always did, without loading @peculiar/x509 and reflect-metadata (a start-up cost of every
// command that reads a configuration: bench/README.md, "Start-up costs the code avoids"): a `BEGIN label`
// line, optional `Key: value` headers (continued by lines starting with a space), an optional empty line,
// base64 lines, and the `END` line of the same label.
// One change: a header name may not start with a space, so that a line like ` c: d` is only ever a
// continuation. In the original either reading fits, and a block that then fails to match is retried both
// ways for every such line: exponential time on a crafted CRL file.
// test/crypto/pem.test.ts checks the two agree, on a table and on random PEM-like text.
const PEM_BLOCK =
  /-{5}BEGIN ([^\n]+(?=-{5}))-{5}\n(?:(?:[^:\n ][^:\n]*: (?:[^\n]+\n(?: +[^\n]+\n)*))+)?\n?((?:[a-zA-Z0-9=+/]+\n)+)-{5}END \1-{5}/g

const LINE_LENGTH = 64

/**
 * One PEM block of the given label: base64 in lines of 64 characters (RFC 7468 §2), ending in a newline.
 *
 * @example
 * ```ts
 * encodePem(der, PEM_LABEL.certificate) // '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n'
 * ```
 */
export function encodePem(der: ArrayBuffer | Uint8Array, label: string): string {
  const base64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString(
    'base64',
  )
  const lines: string[] = []
  for (let at = 0; at < base64.length; at += LINE_LENGTH)
    lines.push(base64.slice(at, at + LINE_LENGTH))
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

/**
 * The DER bytes of every PEM block with `label` in `text`, in order. Throws when a block's base64 is not
 * valid (as @peculiar/x509 does), rather than decoding what the lenient base64 decoder would make of it.
 *
 * @example
 * ```ts
 * decodePemBlocks(readFileSync('/etc/fedmsg/ca.crt', 'latin1'), PEM_LABEL.certificate) // [der, …]
 * ```
 */
export function decodePemBlocks(text: string, label: string): Uint8Array[] {
  const blocks: Uint8Array[] = []
  for (const [, found, lines] of text.replace(/\r/g, '').matchAll(PEM_BLOCK)) {
    const base64 = lines!.replace(/\n/g, '')
    const der = Buffer.from(base64, 'base64')
    if (der.toString('base64') !== base64) throw new Error(`invalid base64 in a PEM ${found} block`)
    if (found === label) blocks.push(new Uint8Array(der))
  }
  return blocks
}
