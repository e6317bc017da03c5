import { x509 } from './x509.js'

/** PEM labels fedmsg writes and reads (RFC 7468). OpenSSL only reads a CRL labelled `X509 CRL`. */
export const PEM_LABEL = {
  certificate: 'CERTIFICATE',
  crl: 'X509 CRL',
  privateKey: 'PRIVATE KEY',
  encryptedPrivateKey: 'ENCRYPTED PRIVATE KEY',
} as const

/** One PEM block of the given label. */
export function encodePem(der: ArrayBuffer | Uint8Array, label: string): string {
  const bytes = der instanceof Uint8Array ? der : new Uint8Array(der)
  return `${x509.PemConverter.encode(bytes.slice().buffer, label)}\n`
}

/** The DER bytes of every PEM block with `label` in `text`, in order. */
export function decodePemBlocks(text: string, label: string): Uint8Array[] {
  return x509.PemConverter.decodeWithHeaders(text)
    .filter((block) => block.type === label)
    .map((block) => new Uint8Array(block.rawData))
}
