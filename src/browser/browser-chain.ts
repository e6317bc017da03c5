import * as x509 from '@peculiar/x509'
import { Rejection } from '../errors.js'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../crypto/chain/eku.js'
import { checkValidityPeriods, type CheckInstant } from '../crypto/chain/validity-period.js'
import { ekuOidsOf } from './eku-oids.js'
import { commonNamesOf, type BrowserCertificate } from './browser-certificates.js'

/** A path from the leaf to a configured anchor, leaf first, and the signer's name. */
export interface BrowserChain {
  readonly leaf: BrowserCertificate
  readonly signer: string
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, index) => byte === b[index])

async function issuedBy(child: BrowserCertificate, issuer: BrowserCertificate): Promise<boolean> {
  if (child.cert.issuer !== issuer.cert.subject) return false
  try {
    return await child.cert.verify({ publicKey: issuer.cert.publicKey, signatureOnly: true })
  } catch {
    return false
  }
}

/**
 * The chain checks of docs/protocol.md §5 that a browser can make, in the Node verifier's order: the path
 * (x5c in order, ending at a configured anchor; an appended anchor dropped), issuers are CAs that may sign
 * certificates (`untrusted_chain`), the leaf's usage (`bad_cert_usage`), then every validity period.
 */
export async function validateChain(
  x5c: readonly BrowserCertificate[],
  anchors: readonly BrowserCertificate[],
  at: CheckInstant,
): Promise<BrowserChain> {
  const last = x5c.at(-1)!
  const appended = anchors.some((anchor) => sameBytes(anchor.der, last.der))
  if (appended && x5c.length === 1) {
    throw new Rejection('untrusted_chain', 'x5c holds only a trust anchor')
  }
  const certs = appended ? x5c.slice(0, -1) : x5c
  for (let i = 0; i + 1 < certs.length; i++) {
    if (!(await issuedBy(certs[i]!, certs[i + 1]!))) {
      throw new Rejection('untrusted_chain', `x5c[${i}] is not issued by x5c[${i + 1}]`)
    }
  }
  let anchor: BrowserCertificate | undefined
  for (const candidate of anchors) {
    if (await issuedBy(certs.at(-1)!, candidate)) anchor = candidate
    if (anchor) break
  }
  if (anchor === undefined) {
    throw new Rejection('untrusted_chain', 'x5c does not lead to a configured trust anchor')
  }
  for (const issuer of [...certs.slice(1), anchor]) checkIssuerIsCa(issuer)
  const signer = checkLeafUsage(certs[0]!)
  checkValidityPeriods(
    [...certs, anchor].map(({ cert }) => ({
      subject: cert.subject,
      notBefore: cert.notBefore.getTime(),
      notAfter: cert.notAfter.getTime(),
    })),
    at,
  )
  return { leaf: certs[0]!, signer }
}

// RFC 5280 §4.2.1.9 and §4.2.1.3: an issuer asserts cA and keyCertSign.
function checkIssuerIsCa(issuer: BrowserCertificate): void {
  const constraints = issuer.cert.getExtension(x509.BasicConstraintsExtension)
  if (constraints?.ca !== true) {
    throw new Rejection('untrusted_chain', `issuer ${issuer.cert.subject} is not a CA`)
  }
  const usage = issuer.cert.getExtension(x509.KeyUsagesExtension)
  if (usage !== null && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw new Rejection('untrusted_chain', `issuer ${issuer.cert.subject} lacks keyCertSign`)
  }
}

const CN_STRING_TYPES: ReadonlySet<string> = new Set(['utf8String', 'printableString'])

// The leaf rules of src/crypto/chain/leaf-usage.ts, each `bad_cert_usage`.
function checkLeafUsage(leaf: BrowserCertificate): string {
  const subject = leaf.cert.subject
  if (leaf.cert.getExtension(x509.BasicConstraintsExtension)?.ca === true) {
    throw new Rejection('bad_cert_usage', `leaf ${subject} is a CA certificate`)
  }
  const usage = leaf.cert.getExtension(x509.KeyUsagesExtension)
  if (usage === null || (usage.usages & x509.KeyUsageFlags.digitalSignature) === 0) {
    throw new Rejection('bad_cert_usage', `leaf ${subject} keyUsage lacks digitalSignature`)
  }
  const eku = leaf.cert.getExtension('2.5.29.37')
  const oids = eku === null ? undefined : ekuOidsOf(new Uint8Array(eku.value))
  if (!oids?.includes(FEDMSG_MESSAGE_SIGNING_EKU)) {
    throw new Rejection('bad_cert_usage', `leaf ${subject} lacks the fedmsg message-signing EKU`)
  }
  const names = commonNamesOf(leaf)
  if (names.length !== 1) {
    throw new Rejection('bad_cert_usage', `leaf subject must hold exactly one CN`)
  }
  if (!CN_STRING_TYPES.has(names[0]!.type)) {
    throw new Rejection('bad_cert_usage', `leaf CN is a ${names[0]!.type}`)
  }
  if (names[0]!.value === '') throw new Rejection('bad_cert_usage', 'leaf CN is empty')
  return names[0]!.value
}
