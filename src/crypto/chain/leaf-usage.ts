import { Rejection } from '../../errors.js'
import type { CertificateProfile } from './certificate-profile.js'
import { FEDMSG_MESSAGE_SIGNING_EKU } from './eku.js'
import { x509 } from '../x509.js'

/**
 * Checks that the leaf may sign fedmsg messages and returns its one subject CN, the signer's name. Each rule
 * gives `bad_cert_usage`.
 *
 * @example
 * ```ts
 * const name = checkLeafUsage(leafProfile) // 'bodhi'
 * ```
 */
export function checkLeafUsage(leaf: CertificateProfile): string {
  checkNotCa(leaf)
  checkDigitalSignature(leaf)
  checkMessageSigningEku(leaf)
  return singleCommonName(leaf)
}

// RFC 5280 §4.2.1.9: an end entity does not assert cA; a CA key must not sign messages.
function checkNotCa(leaf: CertificateProfile): void {
  if (leaf.basicConstraints?.ca === true) {
    throw new Rejection('bad_cert_usage', `leaf ${leaf.subject} is a CA certificate`)
  }
}

// RFC 5280 §4.2.1.3: signing messages needs digitalSignature; fedmsg/1 requires the extension to be present.
function checkDigitalSignature(leaf: CertificateProfile): void {
  if (leaf.keyUsage === undefined) {
    throw new Rejection('bad_cert_usage', `leaf ${leaf.subject} has no keyUsage`)
  }
  if ((leaf.keyUsage & x509.KeyUsageFlags.digitalSignature) === 0) {
    throw new Rejection('bad_cert_usage', `leaf ${leaf.subject} keyUsage lacks digitalSignature`)
  }
}

// RFC 5280 §4.2.1.12: the leaf must name the fedmsg message-signing purpose; anyExtendedKeyUsage is not enough.
function checkMessageSigningEku(leaf: CertificateProfile): void {
  if (!leaf.extendedKeyUsage?.includes(FEDMSG_MESSAGE_SIGNING_EKU)) {
    throw new Rejection(
      'bad_cert_usage',
      `leaf ${leaf.subject} lacks extendedKeyUsage ${FEDMSG_MESSAGE_SIGNING_EKU} (fedmsg message signing)`,
    )
  }
}

/** The DirectoryString choices a signer's CN may use: the two RFC 5280 §4.1.2.6 asks CAs to use. */
const CN_STRING_TYPES: ReadonlySet<string> = new Set(['utf8String', 'printableString'])

// fedmsg/1: the signer is the leaf's subject CN, so there must be exactly one, not empty, and in a string type
// every implementation decodes alike (TeletexString, BMPString and UniversalString decode differently).
function singleCommonName(leaf: CertificateProfile): string {
  if (leaf.commonNames.length !== 1) {
    throw new Rejection(
      'bad_cert_usage',
      `leaf subject "${leaf.subject}" must hold exactly one CN, has ${leaf.commonNames.length}`,
    )
  }
  if (!CN_STRING_TYPES.has(leaf.commonNameTypes[0]!)) {
    throw new Rejection(
      'bad_cert_usage',
      `leaf CN is a ${leaf.commonNameTypes[0]}: it must be a UTF8String or a PrintableString`,
    )
  }
  if (leaf.commonNames[0] === '') {
    throw new Rejection('bad_cert_usage', 'leaf CN is empty')
  }
  return leaf.commonNames[0]!
}
