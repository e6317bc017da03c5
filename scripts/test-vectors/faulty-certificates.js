// The certificates with exactly one fault that the chain vectors need, and the re-issued anchors. Every one is
// signed by an Ed25519 key, so each run issues the same bytes.
import { createPublicKey } from 'node:crypto'
import { buildCertificate } from '../../dist/ca/certificate-factory.js'
import { toSigningCryptoKey } from '../../dist/ca/key-pair.js'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../../dist/crypto/chain/eku.js'
import { nodeWebCrypto, x509 } from '../../dist/crypto/x509.js'
import { caSpec, INTERMEDIATE_CN, leafSpec, ROOT_CN, VALIDITY } from './vector-pki.js'

const { digitalSignature, keyCertSign, cRLSign, keyEncipherment } = x509.KeyUsageFlags
const SERVER_AUTH_EKU = '1.3.6.1.5.5.7.3.1'
const ANY_EKU = '2.5.29.37.0'
/** An extension OID nobody implements, marked critical (RFC 5280 §4.2). */
const UNKNOWN_EXTENSION_OID = '1.3.6.1.4.1.55555.1.1'

const keysOf = (cert) => ({
  privateKey: cert.privateKey,
  publicKey: createPublicKey(cert.privateKey),
})

async function embedded(spec, privateKey) {
  const certificate = await buildCertificate(spec)
  return { certificate, privateKey, der: new Uint8Array(certificate.rawData) }
}

// What CertificateSpec cannot say: a hand-made subject, or an extra extension.
async function leafNamed(pki, subject, serialNumber, extra = []) {
  const { intermediate, bodhi } = pki
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber,
      subject: new x509.Name(subject),
      issuer: intermediate.certificate.subject,
      ...VALIDITY,
      publicKey: createPublicKey(bodhi.privateKey).export({ format: 'der', type: 'spki' }),
      signingKey: await toSigningCryptoKey(intermediate.privateKey),
      signingAlgorithm: { name: 'Ed25519' },
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([FEDMSG_MESSAGE_SIGNING_EKU]),
        new x509.AuthorityKeyIdentifierExtension(
          intermediate.certificate.getExtension(x509.SubjectKeyIdentifierExtension).keyId,
        ),
        ...extra,
      ],
    },
    nodeWebCrypto,
  )
  return { certificate, privateKey: bodhi.privateKey, der: new Uint8Array(certificate.rawData) }
}

/** Leaves "bodhi" (bodhi's key) under the intermediate, each with one fault, plus the ones that need other keys. */
export async function makeFaultyLeaves(pki, files) {
  const { intermediate, bodhi, wiki } = pki
  const leaf = (serial, overrides, keys = keysOf(bodhi)) =>
    embedded(leafSpec(intermediate, 'bodhi', keys.publicKey, serial, overrides), keys.privateKey)
  const untrustedKeys = files.key('untrusted-ca', 'ed25519')
  const untrustedRoot = await embedded(
    caSpec(undefined, ROOT_CN, untrustedKeys.publicKey, '01', {
      selfKey: untrustedKeys.privateKey,
    }),
    untrustedKeys.privateKey,
  )
  const subCaKeys = files.key('sub-ca', 'ed25519')
  const subCa = await embedded(
    caSpec(intermediate, 'fedmsg Test Vectors Sub CA', subCaKeys.publicKey, '40'),
    subCaKeys.privateKey,
  )
  const forger = { certificate: intermediate.certificate, privateKey: untrustedKeys.privateKey }
  const timestampMinus = (ms) => new Date(Date.parse('2026-06-01T12:00:00Z') - ms)
  return {
    untrustedRoot,
    subCa,
    isCa: await leaf('21', { ca: {}, keyUsage: digitalSignature | keyCertSign }),
    noKeyUsage: await leaf('22', { keyUsage: undefined }),
    noDigitalSignature: await leaf('23', { keyUsage: keyEncipherment }),
    noEku: await leaf('24', { extendedKeyUsage: undefined }),
    serverAuthEku: await leaf('25', { extendedKeyUsage: [SERVER_AUTH_EKU] }),
    anyEku: await leaf('26', { extendedKeyUsage: [ANY_EKU] }),
    noCn: await leafNamed(pki, [{ O: ['Fedora'] }], '27'),
    twoCns: await leafNamed(pki, [{ CN: ['bodhi'] }, { CN: ['koji'] }], '28'),
    unknownCritical: await leafNamed(pki, [{ CN: ['bodhi'] }], '29', [
      new x509.Extension(UNKNOWN_EXTENSION_OID, true, new Uint8Array([0x05, 0x00])),
    ]),
    expired: await leaf('2a', { notAfter: new Date('2026-01-01T00:00:00Z') }),
    notYetValid: await leaf('2b', { notBefore: new Date('2027-01-01T00:00:00Z') }),
    // Issued two minutes before `now`: a message stamped three minutes before `now` predates it.
    issuedAfterTimestamp: await leaf('2c', { notBefore: timestampMinus(120_000) }),
    expiresAtNow: await leaf('2d', { notAfter: new Date('2026-06-01T12:00:00Z') }),
    // The high bit is set, so the DER INTEGER carries a leading 00 octet.
    revoked: await leaf('f00dcafe', {}),
    rsa1024: await leaf('2e', {}, files.key('rsa1024', 'rsa1024')),
    p384: await leaf('2f', {}, files.key('p384', 'p384')),
    fromUntrustedRoot: await embedded(
      leafSpec(untrustedRoot, 'bodhi', keysOf(bodhi).publicKey, '10'),
      bodhi.privateKey,
    ),
    forgedSignature: await embedded(
      leafSpec(forger, 'bodhi', keysOf(bodhi).publicKey, '30'),
      bodhi.privateKey,
    ),
    signedByLeaf: await embedded(
      leafSpec(wiki, 'bodhi', keysOf(bodhi).publicKey, '01'),
      bodhi.privateKey,
    ),
    underSubCa: await embedded(
      leafSpec(subCa, 'bodhi', keysOf(bodhi).publicKey, '01'),
      bodhi.privateKey,
    ),
  }
}

/** The intermediate re-issued by the root (same key and name), each with one fault. */
export async function makeFaultyIntermediates(pki) {
  const { root, intermediate } = pki
  const reissue = (serial, overrides) =>
    embedded(
      caSpec(root, INTERMEDIATE_CN, keysOf(intermediate).publicKey, serial, {
        ca: { pathLength: 0 },
        ...overrides,
      }),
      intermediate.privateKey,
    )
  return {
    notCa: await reissue('50', { ca: false }),
    noBasicConstraints: await reissue('51', { ca: 'omit' }),
    noKeyCertSign: await reissue('52', { keyUsage: cRLSign | digitalSignature }),
    noCrlSign: await reissue('53', { keyUsage: keyCertSign }),
    expired: await reissue('54', { notAfter: new Date('2026-01-01T00:00:00Z') }),
    notYetValid: await reissue('55', { notBefore: new Date('2027-01-01T00:00:00Z') }),
  }
}

/** The root re-issued (same key and name, self-signed) as anchor files: expired, not yet valid, pathLen 0. */
export async function makeReissuedRoots(pki, files) {
  const keys = keysOf(pki.root)
  const reissue = (name, serial, overrides) =>
    files.derivedCertificate(
      name,
      keys,
      caSpec(undefined, ROOT_CN, keys.publicKey, serial, {
        selfKey: keys.privateKey,
        ...overrides,
      }),
    )
  return {
    expired: await reissue('root-ca-expired', '90', { notAfter: new Date('2026-01-01T00:00:00Z') }),
    notYetValid: await reissue('root-ca-not-yet-valid', '91', {
      notBefore: new Date('2027-01-01T00:00:00Z'),
    }),
    pathLenZero: await reissue('root-ca-pathlen-0', '92', { ca: { pathLength: 0 } }),
  }
}
