/**
 * The one allowlist of signature algorithms for certificates and CRLs (docs/protocol.md §4.5), read from the two
 * algorithm fields of a certificate or CRL. Certificates and CRLs made by openssl are in
 * chain-validator-openssl.test.ts and in the vectors (untrusted_chain_leaf_sha1_rsa_fail, ...).
 */
import { AsnConvert } from '@peculiar/asn1-schema'
import { mgf1SHA1, RsaSaPssParams, sha256, sha512 } from '@peculiar/asn1-rsa'
import { AlgorithmIdentifier } from '@peculiar/asn1-x509'
import { describe, expect, it } from 'vitest'
import { allowedSignatureParams } from '../../src/crypto/chain/signature-algorithms.js'

const NULL = new Uint8Array([0x05, 0x00]).buffer
const alg = (algorithm: string, parameters?: ArrayBuffer | null) =>
  new AlgorithmIdentifier({ algorithm, ...(parameters === undefined ? {} : { parameters }) })
const mgf1 = (hash: AlgorithmIdentifier) =>
  new AlgorithmIdentifier({
    algorithm: '1.2.840.113549.1.1.8',
    parameters: AsnConvert.serialize(hash),
  })
const pss = (params: Partial<RsaSaPssParams>) =>
  alg('1.2.840.113549.1.1.10', AsnConvert.serialize(new RsaSaPssParams(params)))
const pss256 = { hashAlgorithm: sha256, maskGenAlgorithm: mgf1(sha256), saltLength: 32 }

describe('allowedSignatureParams', () => {
  it.each([
    { name: 'ecdsa-with-SHA256', id: alg('1.2.840.10045.4.3.2') },
    { name: 'ecdsa-with-SHA384', id: alg('1.2.840.10045.4.3.3') },
    { name: 'ecdsa-with-SHA512', id: alg('1.2.840.10045.4.3.4') },
    { name: 'sha256WithRSAEncryption', id: alg('1.2.840.113549.1.1.11', null) },
    { name: 'sha256WithRSAEncryption', id: alg('1.2.840.113549.1.1.11') },
    { name: 'sha384WithRSAEncryption', id: alg('1.2.840.113549.1.1.12', null) },
    { name: 'sha512WithRSAEncryption', id: alg('1.2.840.113549.1.1.13', NULL) },
    { name: 'Ed25519', id: alg('1.3.101.112') },
    { name: 'Ed448', id: alg('1.3.101.113') },
    { name: 'RSASSA-PSS with SHA256', id: pss(pss256) },
    {
      name: 'RSASSA-PSS with SHA512',
      id: pss({ hashAlgorithm: sha512, maskGenAlgorithm: mgf1(sha512), saltLength: 64 }),
    },
  ])('$name is allowed', ({ name, id }) => {
    expect(allowedSignatureParams(id, id)?.name).toBe(name)
  })

  it.each([
    { name: 'sha1WithRSAEncryption', id: alg('1.2.840.113549.1.1.5', null) },
    { name: 'md5WithRSAEncryption', id: alg('1.2.840.113549.1.1.4', null) },
    { name: 'md2WithRSAEncryption', id: alg('1.2.840.113549.1.1.2', null) },
    { name: 'sha224WithRSAEncryption', id: alg('1.2.840.113549.1.1.14', null) },
    { name: 'ecdsa-with-SHA1', id: alg('1.2.840.10045.4.1') },
    { name: 'dsa-with-sha256', id: alg('2.16.840.1.101.3.4.3.2') },
    { name: 'ecdsa-with-SHA256 with NULL parameters', id: alg('1.2.840.10045.4.3.2', null) },
    { name: 'Ed25519 with NULL parameters', id: alg('1.3.101.112', null) },
    {
      name: 'sha256WithRSAEncryption with other parameters',
      id: alg('1.2.840.113549.1.1.11', new Uint8Array([2, 1, 0]).buffer),
    },
    { name: 'RSASSA-PSS without parameters', id: alg('1.2.840.113549.1.1.10') },
    { name: 'RSASSA-PSS with the default parameters (SHA-1)', id: pss({}) },
    { name: 'RSASSA-PSS with MGF1-SHA-1', id: pss({ ...pss256, maskGenAlgorithm: mgf1SHA1 }) },
    { name: 'RSASSA-PSS with trailer field 2', id: pss({ ...pss256, trailerField: 2 }) },
    {
      name: 'RSASSA-PSS whose hash has other parameters',
      id: pss({
        ...pss256,
        hashAlgorithm: alg('2.16.840.1.101.3.4.2.1', new Uint8Array([2, 1, 0]).buffer),
      }),
    },
    {
      name: 'RSASSA-PSS whose MGF1 names no hash',
      id: pss({ ...pss256, maskGenAlgorithm: alg('1.2.840.113549.1.1.8') }),
    },
    {
      name: 'RSASSA-PSS with parameters that do not decode',
      id: alg('1.2.840.113549.1.1.10', NULL),
    },
  ])('$name is refused', ({ id }) => {
    expect(allowedSignatureParams(id, id)).toBeUndefined()
  })

  it('two allowed but different algorithm fields are refused', () => {
    expect(
      allowedSignatureParams(alg('1.2.840.10045.4.3.3'), alg('1.2.840.10045.4.3.2')),
    ).toBeUndefined()
  })

  it('the same algorithm with NULL in one field and no parameters in the other is refused', () => {
    expect(
      allowedSignatureParams(alg('1.2.840.113549.1.1.11', null), alg('1.2.840.113549.1.1.11')),
    ).toBeUndefined()
  })
})
