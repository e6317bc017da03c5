// The vector PKI of test/vectors/keys/. Keys and the certificates of the healthy PKI are made once and then
// read back, so that what an ECDSA key signed (randomized) stays byte-identical from run to run. Everything
// else (faulty certificates, re-issued anchors, CRLs) is issued by the Ed25519 CAs on every run: Ed25519 is
// deterministic, so those bytes come out the same each time. These keys are public test material.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildCertificate, createCrl } from '../../dist/ca/certificate-factory.js'
import { generateKeyPair } from '../../dist/ca/key-pair.js'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../../dist/crypto/chain/eku.js'
import { exportPrivateKeyPem } from '../../dist/crypto/keys/key-file.js'
import { encodePem, PEM_LABEL } from '../../dist/crypto/pem.js'
import { nodeWebCrypto, x509 } from '../../dist/crypto/x509.js'

const { digitalSignature, keyCertSign, cRLSign } = x509.KeyUsageFlags

/** Every certificate of the healthy PKI is valid for these twenty years. */
export const VALIDITY = {
  notBefore: new Date('2025-01-01T00:00:00Z'),
  notAfter: new Date('2045-01-01T00:00:00Z'),
}
export const CA_USAGE = keyCertSign | cRLSign
export const ROOT_CN = 'fedmsg Test Vectors Root CA'
export const INTERMEDIATE_CN = 'fedmsg Test Vectors Intermediate CA'

const MAKE_KEY = {
  ed25519: () => generateKeyPair('ed25519'),
  es256: () => generateKeyPair('es256'),
  rsa2048: () => generateKeyPair('rsa2048'),
  rsa1024: () => generateKeyPairSync('rsa', { modulusLength: 1024 }),
  p384: () => generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  'rsa-pss': () => generateKeyPairSync('rsa-pss', { modulusLength: 2048 }),
}

/** A certificate with its private key, its DER and the file it is in (relative to test/vectors). */
function issued(certificate, privateKey, file) {
  return { certificate, privateKey, der: new Uint8Array(certificate.rawData), file }
}

/** A leaf spec: CA:false, digitalSignature, the fedmsg EKU, valid 2025–2045, then `overrides`. */
export function leafSpec(issuer, subjectCn, publicKey, serialHex, overrides = {}) {
  return {
    subjectCn,
    issuer,
    publicKey,
    serialHex,
    ...VALIDITY,
    ca: false,
    keyUsage: digitalSignature,
    extendedKeyUsage: [FEDMSG_MESSAGE_SIGNING_EKU],
    ...overrides,
  }
}

/** A CA spec: CA:true (pathLen when given), keyCertSign + cRLSign, valid 2025–2045, then `overrides`. */
export function caSpec(issuer, subjectCn, publicKey, serialHex, overrides = {}) {
  return {
    subjectCn,
    issuer,
    publicKey,
    serialHex,
    ...VALIDITY,
    ca: {},
    keyUsage: CA_USAGE,
    ...overrides,
  }
}

/** Reads and writes the files of test/vectors/keys and test/vectors/crls. */
export class VectorFiles {
  constructor(vectorsDir) {
    this.dir = vectorsDir
    mkdirSync(join(vectorsDir, 'keys'), { recursive: true })
    mkdirSync(join(vectorsDir, 'crls'), { recursive: true })
  }

  /** keys/NAME.key, made with `kind` the first time. */
  key(name, kind) {
    const path = join(this.dir, 'keys', `${name}.key`)
    if (!existsSync(path)) {
      writeFileSync(path, exportPrivateKeyPem(MAKE_KEY[kind]().privateKey))
    }
    const privateKey = createPrivateKey(readFileSync(path, 'utf8'))
    return { privateKey, publicKey: createPublicKey(privateKey) }
  }

  /** keys/NAME.crt of the healthy PKI: issued from `spec` the first time, read back afterwards. */
  async keptCertificate(name, keys, spec) {
    const file = `keys/${name}.crt`
    const path = join(this.dir, file)
    if (!existsSync(path)) {
      const certificate = await buildCertificate(spec)
      writeFileSync(path, encodePem(certificate.rawData, PEM_LABEL.certificate))
    }
    return issued(new x509.X509Certificate(readFileSync(path, 'utf8')), keys.privateKey, file)
  }

  /** keys/NAME.crt issued from `spec` on every run (the issuer is Ed25519, so the bytes repeat). */
  async derivedCertificate(name, keys, spec) {
    const file = `keys/${name}.crt`
    const certificate = await buildCertificate(spec)
    writeFileSync(join(this.dir, file), encodePem(certificate.rawData, PEM_LABEL.certificate))
    return issued(certificate, keys.privateKey, file)
  }

  /**
   * crls/NAME.crl (PEM `X509 CRL`) signed by `issuer`, revoking `serials` (hex); `signing` ({ signingKey,
   * signingAlgorithm }) overrides how it is signed, for CRLs the CA code refuses to make.
   */
  async crl(name, issuer, serials, window = {}, signing = undefined) {
    const file = `crls/${name}.crl`
    const crl = await (signing === undefined ? createCrl : crlSignedWith(signing))(issuer, {
      crlNumber: 1n,
      thisUpdate: window.thisUpdate ?? new Date('2026-05-01T00:00:00Z'),
      nextUpdate: window.nextUpdate ?? VALIDITY.notAfter,
      entries: serials.map((serialHex) => ({
        serialHex,
        revokedAt: new Date('2026-05-01T00:00:00Z'),
        reason: 'keyCompromise',
      })),
    })
    writeFileSync(join(this.dir, file), encodePem(crl.rawData, PEM_LABEL.crl))
    return file
  }
}

// The CRL createCrl would make, signed as `signing` says.
const crlSignedWith = (signing) => (issuer, spec) =>
  x509.X509CrlGenerator.create(
    {
      issuer: issuer.certificate.subject,
      thisUpdate: spec.thisUpdate,
      nextUpdate: spec.nextUpdate,
      ...signing,
      entries: [],
    },
    nodeWebCrypto,
  )

/**
 * The healthy vector PKI: Ed25519 root → Ed25519 intermediate (pathLen 0) → leaves bodhi (Ed25519),
 * koji (P-256), pkgdb (RSA 2048); wiki (Ed25519) directly under the root; a P-256 intermediate with leaf fas
 * (P-256), so that ECDSA-signed certificates are covered too; an RSA intermediate, under which OpenSSL issues
 * the certificates of the signature algorithm allowlist vectors.
 */
export async function makeHealthyPki(files) {
  const rootKeys = files.key('root-ca', 'ed25519')
  const rootSpec = caSpec(undefined, ROOT_CN, rootKeys.publicKey, '01', {
    selfKey: rootKeys.privateKey,
  })
  const root = await files.keptCertificate('root-ca', rootKeys, rootSpec)
  const interKeys = files.key('intermediate-ca', 'ed25519')
  const intermediate = await files.keptCertificate(
    'intermediate-ca',
    interKeys,
    caSpec(root, INTERMEDIATE_CN, interKeys.publicKey, '02', { ca: { pathLength: 0 } }),
  )
  const ecdsaKeys = files.key('ecdsa-intermediate-ca', 'es256')
  const ecdsaIntermediate = await files.keptCertificate(
    'ecdsa-intermediate-ca',
    ecdsaKeys,
    caSpec(root, 'fedmsg Test Vectors ECDSA Intermediate CA', ecdsaKeys.publicKey, '03', {
      ca: { pathLength: 0 },
    }),
  )
  // No pathLen: the allowlist vectors put an OpenSSL-made sub CA under it (openssl-certificates.js).
  const rsaKeys = files.key('rsa-intermediate-ca', 'rsa2048')
  const rsaIntermediate = await files.keptCertificate(
    'rsa-intermediate-ca',
    rsaKeys,
    caSpec(root, 'fedmsg Test Vectors RSA Intermediate CA', rsaKeys.publicKey, '05'),
  )
  const leaf = async (name, kind, issuer, serial) => {
    const keys = files.key(name, kind)
    return files.keptCertificate(name, keys, leafSpec(issuer, name, keys.publicKey, serial))
  }
  return {
    root,
    intermediate,
    ecdsaIntermediate,
    rsaIntermediate,
    bodhi: await leaf('bodhi', 'ed25519', intermediate, '10'),
    koji: await leaf('koji', 'es256', intermediate, '11'),
    pkgdb: await leaf('pkgdb', 'rsa2048', intermediate, '12'),
    wiki: await leaf('wiki', 'ed25519', root, '04'),
    fas: await leaf('fas', 'es256', ecdsaIntermediate, '10'),
  }
}
