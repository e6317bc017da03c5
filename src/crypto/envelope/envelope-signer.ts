import { randomUUID, X509Certificate, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { CertInvalid, ConfigNotFound, KeyInvalid, Rejection, SignFailed } from '../../errors.js'
import { defaultAlgFor, describeAlgMismatch, isAlg } from '../algorithms.js'
import { canonicalText, parseCanonicalText } from '../canonical.js'
import { scanCanonical } from '../canonical-scan.js'
import { serializePlainJson } from '../canonical-serializer.js'
import { ENVELOPE_VERSION, insertSignatureMember, MSG_ID_PATTERN } from './envelope.js'
import { readPrivateKeyFile } from '../keys/key-file.js'
import { decodePemBlocks, PEM_LABEL } from '../pem.js'
import { signBytes } from '../primitives.js'
import { assertValidTopic } from '../policy/topic-pattern.js'
import type { Alg } from './verified-message.js'

/** Most `x5c` elements a default verifier accepts (docs/protocol.md §2). */
const MAX_X5C = 4

export interface SignerOptions {
  /** DER, leaf first, then its intermediates; never the trust anchor. */
  readonly certificates: readonly Uint8Array[]
  readonly privateKey: KeyObject
  /** Default from the key type: ES256 for P-256, EdDSA for Ed25519, PS256 for RSA. */
  readonly alg?: Alg
}

export interface SignedEnvelope {
  readonly topic: string
  /** The exact JCS bytes sent on the wire as the envelope frame. */
  readonly frame: Buffer
}

export interface SignInput {
  readonly topic: string
  readonly msg: Record<string, unknown>
  /** The publisher's sequence number, >= 1. */
  readonly i: number
  readonly headers?: Record<string, string>
  /** Default `<year>-<random uuid v4>`. */
  readonly msgId?: string
  /** Milliseconds since the epoch; default now. */
  readonly timestamp?: number
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * A certificate as OpenSSL reads it. The signer needs only the leaf's CN, its public key and names, which
 * node:crypto gives without loading @peculiar/x509 (a start-up cost of every `fedmsg logger`: bench/README.md,
 * "Start-up costs the code avoids").
 */
function parseCertificate(derOrPem: Uint8Array | string, what: string): X509Certificate {
  try {
    return new X509Certificate(derOrPem)
  } catch (error) {
    throw new CertInvalid(`${what} cannot be parsed`, { cause: error })
  }
}

/** `CN=bodhi, O=Fedora`: node:crypto puts one RDN per line. */
function describeSubject(certificate: X509Certificate): string {
  return certificate.subject.replaceAll('\n', ', ')
}

/** The subject CN of a leaf: the signer identity verifiers see (docs/protocol.md §4.2). */
function commonNameOf(leaf: X509Certificate): string {
  // The legacy object holds a repeated attribute as an array, so two CNs never pass for one.
  const cn: unknown = leaf.toLegacyObject().subject?.CN
  const names = cn === undefined ? [] : [cn].flat()
  if (names.length !== 1 || typeof names[0] !== 'string') {
    throw new CertInvalid(`leaf certificate ${describeSubject(leaf)} must have exactly one CN`)
  }
  return names[0]
}

function readCertificates(path: string): X509Certificate[] {
  let pem: string
  try {
    pem = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigNotFound(
      `cannot read certificate file ${path}: check the path and its permissions`,
      {
        cause: error,
      },
    )
  }
  let blocks: Uint8Array[]
  try {
    blocks = decodePemBlocks(pem, PEM_LABEL.certificate)
  } catch (error) {
    throw new CertInvalid(`${path} holds a PEM block that is not valid base64`, { cause: error })
  }
  if (blocks.length === 0)
    throw new CertInvalid(
      `${path} holds no PEM CERTIFICATE block: give the leaf certificate in PEM`,
    )
  return blocks.map((block, n) => parseCertificate(block, `certificate ${n + 1} of ${path}`))
}

/**
 * The JCS of a `msg` or `headers` value; throws `Rejection('malformed')` for what a verifier would refuse (a
 * member of the envelope: one level below it). The check is the verifier's own single pass; only a text it
 * refuses goes to the definition, which words the rejection.
 */
function canonicalMember(value: unknown): string {
  const text = serializePlainJson(value) ?? canonicalText(value)
  if (!scanCanonical(text, 1)) parseCanonicalText(text, 1)
  return text
}

/** True for a self-issued certificate (subject = issuer): a root, which never goes into x5c. */
function isSelfIssued(certificate: X509Certificate): boolean {
  return certificate.subject === certificate.issuer
}

/**
 * Signs fedmsg/1 envelopes with one service's certificate and key (docs/protocol.md §2.2).
 *
 * @example
 * ```ts
 * const signer = EnvelopeSigner.fromFiles({ certFile: 'bodhi.crt', keyFile: 'bodhi.key' })
 * const { topic, frame } = signer.sign({ topic: 'org.fedoraproject.prod.bodhi.update', msg: {}, i: 1 })
 * await socket.send([topic, frame])
 * ```
 */
export class EnvelopeSigner {
  readonly alg: Alg
  /** The leaf's subject CN. */
  readonly signerName: string
  /** `"x5c":[…]`, the same for every message. */
  readonly #x5cMember: string
  readonly #privateKey: KeyObject

  /**
   * Throws `CertInvalid` for an unusable chain, `KeyInvalid` when the key is not the leaf's, `SignFailed` when
   * key and alg do not fit.
   */
  constructor(options: SignerOptions) {
    const { certificates, privateKey } = options
    if (certificates.length < 1 || certificates.length > MAX_X5C) {
      throw new CertInvalid(
        `a signer needs 1 to ${MAX_X5C} certificates (leaf first), got ${certificates.length}`,
      )
    }
    const leaf = parseCertificate(certificates[0]!, 'the leaf certificate')
    if (privateKey.type !== 'private' || !leaf.checkPrivateKey(privateKey)) {
      throw new KeyInvalid(`the private key is not the key of certificate ${describeSubject(leaf)}`)
    }
    const alg = options.alg ?? defaultAlgFor(privateKey)
    if (alg === undefined) {
      throw new SignFailed(
        `no fedmsg/1 algorithm signs with this ${privateKey.asymmetricKeyType} key: use a P-256, Ed25519 or RSA (>= 2048 bits) key`,
      )
    }
    if (!isAlg(alg)) {
      throw new SignFailed(`unknown algorithm ${String(alg)}: use ES256, EdDSA, PS256 or RS256`)
    }
    const mismatch = describeAlgMismatch(alg, privateKey)
    if (mismatch !== undefined) throw new SignFailed(`cannot sign: ${mismatch}`)
    this.alg = alg
    this.signerName = commonNameOf(leaf)
    this.#x5cMember = `"x5c":${JSON.stringify(certificates.map((der) => Buffer.from(der).toString('base64')))}`
    this.#privateKey = privateKey
  }

  /**
   * Reads the signer's certificate PEM (leaf, then intermediates; a root found there is left out of x5c),
   * an optional PEM file of more intermediates, and its private key (which must be mode 0600).
   */
  static fromFiles(o: {
    certFile: string
    keyFile: string
    chainFile?: string
    passphrase?: string
    alg?: Alg
  }): EnvelopeSigner {
    const [leaf, ...rest] = readCertificates(o.certFile)
    const intermediates = [...rest, ...(o.chainFile ? readCertificates(o.chainFile) : [])]
    return new EnvelopeSigner({
      certificates: [leaf!, ...intermediates.filter((c) => !isSelfIssued(c))].map((c) => c.raw),
      privateKey: readPrivateKeyFile(o.keyFile, o.passphrase),
      ...(o.alg === undefined ? {} : { alg: o.alg }),
    })
  }

  /** Builds, signs and serializes one envelope. Throws `InvalidTopic`, `TypeError` or `SignFailed`. */
  sign(input: SignInput): SignedEnvelope {
    const { topic, msg, i, headers } = input
    assertValidTopic(topic)
    if (!isPlainObject(msg)) throw new TypeError('msg must be a plain JSON object')
    if (!Number.isSafeInteger(i) || i < 1) throw new TypeError('i must be an integer >= 1')
    if (
      headers !== undefined &&
      !(isPlainObject(headers) && Object.values(headers).every((h) => typeof h === 'string'))
    ) {
      throw new TypeError('headers must map names to strings')
    }
    const timestamp = input.timestamp ?? Date.now()
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new TypeError('timestamp must be an integer number of milliseconds >= 0')
    }
    const msgId = input.msgId ?? `${new Date(timestamp).getUTCFullYear()}-${randomUUID()}`
    if (!MSG_ID_PATTERN.test(msgId))
      throw new TypeError('msgId must be <year>-<lower-case uuid v4>')
    try {
      const signingInput = this.#signingInput({ topic, msg, msgId, timestamp, i, headers })
      const bytes = Buffer.from(signingInput, 'utf8')
      const signature = signBytes(this.alg, this.#privateKey, bytes)
      return { topic, frame: insertSignatureMember(bytes, signature.toString('base64')) }
    } catch (error) {
      const reason = error instanceof Rejection ? error.detail : String(error)
      throw new SignFailed(`cannot sign a message on ${topic}: ${reason}`, { cause: error })
    }
  }

  /**
   * The signing input: the JCS of the envelope without `signature` (docs/protocol.md §2.2), assembled from its
   * members in JCS order. Only `msg` and `headers` can hold arbitrary text, so only they go through the
   * canonicalizer and the canonical check, which refuses what a verifier would refuse as malformed (a lone
   * surrogate, a `toJSON` member); the other members are validated ASCII, integers and the signer's fixed
   * `alg` and `x5c`, whose JSON is already canonical. Serializing the whole envelope and parsing it back cost
   * as much as the signature itself.
   */
  #signingInput(m: {
    topic: string
    msg: Record<string, unknown>
    msgId: string
    timestamp: number
    i: number
    headers: Readonly<Record<string, string>> | undefined
  }): string {
    const msg = canonicalMember(m.msg)
    const headers = m.headers === undefined ? '' : `"headers":${canonicalMember(m.headers)},`
    return (
      `{"alg":${JSON.stringify(this.alg)},${headers}"i":${m.i},"msg":${msg},` +
      `"msg_id":${JSON.stringify(m.msgId)},"timestamp":${m.timestamp},"topic":${JSON.stringify(m.topic)},` +
      `"v":${JSON.stringify(ENVELOPE_VERSION)},${this.#x5cMember}}`
    )
  }
}
