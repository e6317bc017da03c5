import { createPrivateKey, sign as signBytes, constants, type KeyObject } from 'node:crypto'
import { dumpPythonJson, parsePythonJson, type PyObject } from './python-json.js'

/** A legacy (Python fedmsg x509) signing identity: a certificate of the legacy CA and its RSA key. */
export interface LegacySignerOptions {
  /** The PEM certificate, as Python fedmsg's `ssldir/<certname>.crt`. */
  readonly certificatePem: string
  /** Its RSA private key (PEM text or a KeyObject), as `ssldir/<certname>.key`. */
  readonly privateKey: string | KeyObject
}

/** Python fedmsg's layout of `signature` and `certificate`: base64 in lines of 76, each ending in a newline. */
function sliced(base64: string): string {
  return `${base64.match(/.{1,76}/g)!.join('\n')}\n`
}

/**
 * Signs messages the way Python fedmsg 1.x does (x509 backend), for the consumers of a legacy bus that have
 * not migrated: `crypto: "x509"` is added, the message is serialized as Python's `fedmsg.encoding.dumps`, signed
 * with RSA PKCS#1 v1.5 over SHA-1, and the certificate travels base64 in the message. SHA-1 is what those
 * consumers verify; see docs/threat-model.md, "Legacy messages and SHA-1".
 *
 * @example
 * ```ts
 * const legacy = new LegacySigner({ certificatePem, privateKey })
 * const frame = legacy.sign({ topic: 'org.fedoraproject.prod.bodhi.update', msg: { update: 'x' } })
 * ```
 */
export class LegacySigner {
  readonly #certificate: string
  readonly #key: KeyObject

  /** Throws when the key is not an RSA private key. */
  constructor(options: LegacySignerOptions) {
    this.#key =
      typeof options.privateKey === 'string'
        ? createPrivateKey(options.privateKey)
        : options.privateKey
    if (this.#key.asymmetricKeyType !== 'rsa') {
      throw new TypeError(
        'a legacy signing key is RSA: Python fedmsg verifies RSA PKCS#1 v1.5 only',
      )
    }
    this.#certificate = sliced(Buffer.from(options.certificatePem, 'latin1').toString('base64'))
  }

  /**
   * The JSON frame Python fedmsg would send for `message` (a JSON object with a string `topic`), signed. The
   * values are taken as Python reads their JSON, so what is signed is what a Python consumer re-serializes.
   */
  sign(message: Readonly<Record<string, unknown>>): string {
    const unsigned = parsePythonJson(JSON.stringify({ ...message, crypto: 'x509' })) as PyObject
    const signature = signBytes('sha1', Buffer.from(dumpPythonJson(unsigned), 'utf8'), {
      key: this.#key,
      padding: constants.RSA_PKCS1_PADDING,
    })
    return dumpPythonJson({
      ...unsigned,
      signature: sliced(signature.toString('base64')),
      certificate: this.#certificate,
    })
  }
}
