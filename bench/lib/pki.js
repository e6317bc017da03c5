// @ts-check
/**
 * A PKI per signature algorithm, made with fedmsg's own CA code: root → intermediate → leaf, CRLs of both CAs,
 * a leaf issued by the root (x5c of one certificate), and on demand many distinct leaves for cold figures.
 * Every certificate of one PKI uses the algorithm measured, so a cold chain check costs what it would in a
 * deployment of that algorithm.
 */
import {
  createCrl,
  createIntermediateCertificate,
  createRootCertificate,
  createServiceCertificate,
  validityFor,
} from '../../dist/ca/certificate-factory.js'
import { generateKeyPair } from '../../dist/ca/key-pair.js'
import { EnvelopeSigner } from '../../dist/internal.js'

/** @typedef {import('../../dist/index.js').Alg} Alg */
/** @typedef {import('../../dist/ca/key-pair.js').KeyAlgorithm} KeyAlgorithm */
/** @typedef {import('../../dist/ca/key-pair.js').KeyPair} KeyPair */
/** @typedef {import('../../dist/ca/certificate-factory.js').Issuer} Issuer */

/**
 * A service's signer and its keys.
 *
 * @typedef {object} Leaf
 * @property {EnvelopeSigner} signer
 * @property {import('node:crypto').KeyObject} privateKey
 * @property {import('node:crypto').KeyObject} publicKey
 */

/**
 * @typedef {object} Pki
 * @property {Alg} alg
 * @property {Uint8Array} anchor DER of the root, the verifier's trust anchor
 * @property {Uint8Array[]} crls DER CRLs of root and intermediate, nothing revoked
 * @property {Leaf} leaf under the intermediate: x5c [leaf, intermediate]
 * @property {Leaf} directLeaf under the root: x5c [leaf]
 * @property {Issuer} intermediate
 */

/** The algorithms figures are measured for. */
export const ALGS = /** @type {const} */ (['ES256', 'EdDSA', 'PS256'])

/** @type {Readonly<Record<Alg, KeyAlgorithm>>} */
const KEY_ALGORITHM = { ES256: 'es256', EdDSA: 'ed25519', PS256: 'rsa2048', RS256: 'rsa2048' }

/** RSA key generation takes ~100 ms; cold PS256 leaves share this many keys, each certificate distinct. */
const RSA_LEAF_KEYS = 4

// Valid from an hour ago, so that no clock step makes a certificate not yet valid mid-run.
const validity = () => validityFor(30, new Date(Date.now() - 3_600_000))

/** @param {import('../../dist/crypto/x509.js').x509.X509Certificate | import('../../dist/crypto/x509.js').x509.X509Crl} item */
const derOf = (item) => new Uint8Array(item.rawData)

/**
 * @param {Issuer} issuer
 * @param {string} service
 * @param {KeyPair} keys
 * @param {Uint8Array[]} chain DER of the issuers to send after the leaf
 * @returns {Promise<Leaf>}
 */
async function serviceLeaf(issuer, service, keys, chain) {
  const leaf = await createServiceCertificate(issuer, service, keys.publicKey, validity())
  const certificates = [derOf(leaf), ...chain]
  return { signer: new EnvelopeSigner({ certificates, privateKey: keys.privateKey }), ...keys }
}

/** @type {Map<Alg, Promise<Pki>>} */
const pkis = new Map()

/**
 * The PKI of `alg`, built once per process.
 *
 * @param {Alg} alg
 * @returns {Promise<Pki>}
 */
export function pkiFor(alg) {
  let pki = pkis.get(alg)
  if (pki === undefined) {
    pki = buildPki(alg)
    pkis.set(alg, pki)
  }
  return pki
}

/** @param {Alg} alg @returns {Promise<Pki>} */
async function buildPki(alg) {
  const keyAlg = KEY_ALGORITHM[alg]
  const rootKeys = generateKeyPair(keyAlg)
  const rootCert = await createRootCertificate('fedmsg bench root', rootKeys, validity())
  const root = { certificate: rootCert, privateKey: rootKeys.privateKey }
  const interKeys = generateKeyPair(keyAlg)
  const interCert = await createIntermediateCertificate(
    root,
    'fedmsg bench intermediate',
    interKeys.publicKey,
    validity(),
  )
  const intermediate = { certificate: interCert, privateKey: interKeys.privateKey }
  const crlSpec = () => ({
    crlNumber: 1n,
    thisUpdate: new Date(Date.now() - 3_600_000),
    nextUpdate: new Date(Date.now() + 7 * 86_400_000),
    entries: [],
  })
  return {
    alg,
    anchor: derOf(rootCert),
    crls: [
      derOf(await createCrl(root, crlSpec())),
      derOf(await createCrl(intermediate, crlSpec())),
    ],
    leaf: await serviceLeaf(intermediate, 'bodhi', generateKeyPair(keyAlg), [derOf(interCert)]),
    directLeaf: await serviceLeaf(root, 'bodhi', generateKeyPair(keyAlg), []),
    intermediate,
  }
}

/**
 * `count` services, each with its own leaf certificate under the PKI's intermediate (x5c [leaf, intermediate]).
 *
 * @param {Pki} pki
 * @param {number} count
 * @returns {Promise<Leaf[]>}
 */
export async function distinctLeaves(pki, count) {
  const keyAlg = KEY_ALGORITHM[pki.alg]
  const keys =
    keyAlg === 'rsa2048' ? Array.from({ length: RSA_LEAF_KEYS }, () => generateKeyPair(keyAlg)) : []
  const chain = [derOf(pki.intermediate.certificate)]
  const leaves = []
  for (let n = 0; n < count; n++) {
    const leafKeys = keys.length > 0 ? keys[n % keys.length] : generateKeyPair(keyAlg)
    leaves.push(await serviceLeaf(pki.intermediate, `service${n}`, leafKeys, chain))
  }
  return leaves
}
