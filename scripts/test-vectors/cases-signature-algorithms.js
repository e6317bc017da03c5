// Vectors for the signature algorithm allowlist of certificates and CRLs (docs/protocol.md §4.5): SHA-1 and MD5
// certificates made by `openssl ca` anywhere in x5c are untrusted_chain, SHA-256 ones from the same tool are
// accepted, a certificate whose two algorithm fields differ is untrusted_chain, and a SHA-1 CRL does not count.
import { createPublicKey, sign } from 'node:crypto'
import { AsnConvert } from '@peculiar/asn1-schema'
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509'
import { buildCertificate } from '../../dist/ca/certificate-factory.js'
import { nodeWebCrypto, x509 } from '../../dist/crypto/x509.js'
import { accepted, rejected } from './envelope-builder.js'
import { opensslIssued } from './openssl-certificates.js'
import { leafSpec } from './vector-pki.js'
import { signedBy, vector } from './vector-record.js'

const ED448_OID = '1.3.101.113'

/** The bodhi leaf, re-signed by the intermediate over a tbsCertificate whose signature field says Ed448. */
async function algorithmFieldsDiffer(pki) {
  const { intermediate, bodhi } = pki
  const honest = await buildCertificate(
    leafSpec(intermediate, 'bodhi', createPublicKey(bodhi.privateKey), '31'),
  )
  const asn = AsnConvert.parse(honest.rawData, Certificate)
  asn.tbsCertificate.signature = new AlgorithmIdentifier({ algorithm: ED448_OID })
  const tbs = AsnConvert.serialize(asn.tbsCertificate)
  asn.tbsCertificateRaw = undefined
  asn.signatureValue = new Uint8Array(sign(null, Buffer.from(tbs), intermediate.privateKey)).buffer
  const der = new Uint8Array(AsnConvert.serialize(asn))
  return { certificate: new x509.X509Certificate(der), privateKey: bodhi.privateKey, der }
}

/** A CRL of the RSA intermediate signed with sha1WithRSAEncryption (PKCS #1 v1.5 is deterministic). */
async function sha1Crl(files, issuer) {
  const pkcs8 = issuer.privateKey.export({ format: 'der', type: 'pkcs8' })
  const signingKey = await nodeWebCrypto.subtle.importKey(
    'pkcs8',
    pkcs8,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
    false,
    ['sign'],
  )
  return files.crl(
    'rsa-intermediate-sha1',
    issuer,
    [],
    {},
    {
      signingKey,
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
    },
  )
}

export async function signatureAlgorithmCases(ctx, files) {
  const { rsaIntermediate, ecdsaIntermediate, intermediate } = ctx.pki
  const rsa = { issuer: 'rsa-intermediate-ca', key: 'pkgdb', cn: 'pkgdb' }
  const issued = (name, spec) => opensslIssued(files, name, spec)
  const pkgdbSha256 = issued('pkgdb-openssl-sha256', { ...rsa, serial: '60', digest: 'sha256' })
  const pkgdbSha1 = issued('pkgdb-openssl-sha1', { ...rsa, serial: '61', digest: 'sha1' })
  const pkgdbMd5 = issued('pkgdb-openssl-md5', { ...rsa, serial: '62', digest: 'md5' })
  const fasSha1 = issued('fas-openssl-sha1', {
    issuer: 'ecdsa-intermediate-ca',
    key: 'fas',
    cn: 'fas',
    serial: '63',
    digest: 'sha1',
  })
  const subCa = (name, serial, digest) =>
    issued(name, {
      issuer: 'rsa-intermediate-ca',
      key: 'openssl-sub-ca',
      cn: `fedmsg Test Vectors OpenSSL ${digest} Sub CA`,
      serial,
      digest,
      ca: true,
    })
  const sha256SubCa = subCa('openssl-sub-ca-sha256', '64', 'sha256')
  const sha1SubCa = subCa('openssl-sub-ca-sha1', '65', 'sha1')
  const kojiUnder = (name, issuer) =>
    issued(name, {
      issuer,
      issuerKey: 'openssl-sub-ca',
      key: 'koji',
      cn: 'koji',
      serial: '01',
      digest: 'sha256',
    })
  const kojiUnderSha256 = kojiUnder('koji-under-openssl-sub-ca-sha256', 'openssl-sub-ca-sha256')
  const kojiUnderSha1 = kojiUnder('koji-under-openssl-sub-ca-sha1', 'openssl-sub-ca-sha1')
  const differ = await algorithmFieldsDiffer(ctx.pki)
  const rsaCrls = {
    sha256: await files.crl('rsa-intermediate', rsaIntermediate, []),
    sha1: await sha1Crl(files, rsaIntermediate),
  }
  const signed = (label, leaf, chain, alg) => signedBy(ctx, { leaf, chain, alg, label })
  const ok = (name, description, envelope, signer, spec = {}) => [
    name,
    vector({ description, envelope, expected: accepted(envelope, signer), ...spec }),
  ]
  const fail = (name, description, envelope, reason, spec = {}) => [
    name,
    vector({ description, envelope, expected: rejected(reason), ...spec }),
  ]
  const pkgdbChain = [pkgdbSha256, rsaIntermediate]
  return [
    ok(
      'rs256_openssl_sha256_leaf_ok',
      'the control: a leaf issued by `openssl ca -md sha256` (sha256WithRSAEncryption) under the RSA intermediate',
      signed('rs256_openssl_sha256_leaf_ok', pkgdbSha256, pkgdbChain, 'RS256'),
      'pkgdb',
    ),
    fail(
      'untrusted_chain_leaf_sha1_rsa_fail',
      'the leaf is signed with sha1WithRSAEncryption (`openssl ca -md sha1`): SHA-1 is off the allowlist',
      signed(
        'untrusted_chain_leaf_sha1_rsa_fail',
        pkgdbSha1,
        [pkgdbSha1, rsaIntermediate],
        'RS256',
      ),
      'untrusted_chain',
    ),
    fail(
      'untrusted_chain_leaf_md5_rsa_fail',
      'the leaf is signed with md5WithRSAEncryption (`openssl ca -md md5`): MD5 is off the allowlist',
      signed('untrusted_chain_leaf_md5_rsa_fail', pkgdbMd5, [pkgdbMd5, rsaIntermediate], 'RS256'),
      'untrusted_chain',
    ),
    fail(
      'untrusted_chain_leaf_ecdsa_sha1_fail',
      'the leaf is signed with ecdsa-with-SHA1 (`openssl ca -md sha1` with a P-256 CA key)',
      signed(
        'untrusted_chain_leaf_ecdsa_sha1_fail',
        fasSha1,
        [fasSha1, ecdsaIntermediate],
        'ES256',
      ),
      'untrusted_chain',
    ),
    ok(
      'es256_openssl_chain3_ok',
      'the control: x5c = [leaf, sub CA, RSA intermediate], leaf and sub CA issued by `openssl ca -md sha256`',
      signed(
        'es256_openssl_chain3_ok',
        kojiUnderSha256,
        [kojiUnderSha256, sha256SubCa, rsaIntermediate],
        'ES256',
      ),
      'koji',
    ),
    fail(
      'untrusted_chain_intermediate_sha1_fail',
      'as es256_openssl_chain3_ok, but the sub CA in the middle of x5c is signed with sha1WithRSAEncryption',
      signed(
        'untrusted_chain_intermediate_sha1_fail',
        kojiUnderSha1,
        [kojiUnderSha1, sha1SubCa, rsaIntermediate],
        'ES256',
      ),
      'untrusted_chain',
    ),
    fail(
      'untrusted_chain_algorithm_fields_differ_fail',
      "the leaf's tbsCertificate.signature says Ed448, its signatureAlgorithm Ed25519; the Ed25519 signature is valid",
      signed(
        'untrusted_chain_algorithm_fields_differ_fail',
        differ,
        [differ, intermediate],
        'EdDSA',
      ),
      'untrusted_chain',
    ),
    ok(
      'crl_rsa_sha256_ok',
      'the control: the RSA intermediate has a CRL signed with sha256WithRSAEncryption, not listing the leaf',
      signed('crl_rsa_sha256_ok', pkgdbSha256, pkgdbChain, 'RS256'),
      'pkgdb',
      { crls: [rsaCrls.sha256] },
    ),
    fail(
      'crl_unavailable_sha1_crl_fail',
      "the RSA intermediate's only CRL is signed with sha1WithRSAEncryption: it does not count (rule 14)",
      signed('crl_unavailable_sha1_crl_fail', pkgdbSha256, pkgdbChain, 'RS256'),
      'crl_unavailable',
      { crls: [rsaCrls.sha1] },
    ),
  ]
}
