/**
 * OpenSSL as an independent checker of the chain validator:
 * - `openssl verify` agrees with it on the fixtures (the healthy chain and the faults OpenSSL can see);
 * - certificates and CRLs made by `openssl req`/`openssl x509 -req`/`openssl ca -gencrl` are judged like ours.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KeyAlgorithm } from '../../src/ca/key-pair.js'
import {
  ChainValidator,
  type ChainValidatorOptions,
} from '../../src/crypto/chain/chain-validator.js'
import { FEDMSG_MESSAGE_SIGNING_EKU } from '../../src/crypto/chain/eku.js'
import { decodePemBlocks, encodePem, PEM_LABEL } from '../../src/crypto/pem.js'
import { CHAIN_FAULTS, makePki, validChain, type ChainFixture } from '../fixtures/pki.js'
import { instant, reasonOf } from './chain-check.js'

const OPENSSL = '/usr/bin/openssl'
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-chain-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Runs `openssl COMMAND` (split on spaces) in `cwd`; throws with its stderr when it fails. */
function openssl(command: string, cwd = dir): string {
  const run = spawnSync(OPENSSL, command.trim().split(/\s+/), { cwd, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`openssl ${command}: ${run.stderr}`)
  return run.stdout
}

/** What a fresh validator with `options` says about `x5c` now. */
const reasonFor = (options: ChainValidatorOptions, x5c: readonly Uint8Array[]) =>
  reasonOf(() => new ChainValidator(options).validate(x5c, instant()))

const pemOf = (ders: readonly Uint8Array[], label: string) =>
  ders.map((der) => encodePem(der, label)).join('')
const certsIn = (file: string) =>
  decodePemBlocks(readFileSync(join(dir, file), 'utf8'), 'CERTIFICATE')
const crlIn = (file: string) =>
  decodePemBlocks(readFileSync(join(dir, file), 'utf8'), PEM_LABEL.crl)

/** `openssl verify` of a fixture: true when OpenSSL accepts the chain (CRLs checked when there are any). */
function opensslAccepts(fixture: ChainFixture, name: string): boolean {
  const file = (suffix: string) => join(dir, `${name}-${suffix}.pem`)
  writeFileSync(file('anchors'), pemOf(fixture.anchors, 'CERTIFICATE'))
  writeFileSync(file('leaf'), pemOf([fixture.x5c[0]!], 'CERTIFICATE'))
  writeFileSync(file('chain'), pemOf(fixture.x5c.slice(1), 'CERTIFICATE'))
  const args = ['verify', '-CAfile', file('anchors'), '-untrusted', file('chain')]
  if (fixture.crls.length > 0) {
    writeFileSync(file('crls'), pemOf(fixture.crls, PEM_LABEL.crl))
    args.push('-crl_check_all', '-CRLfile', file('crls'))
  }
  return spawnSync(OPENSSL, [...args, file('leaf')], { encoding: 'utf8' }).status === 0
}

describe.each<KeyAlgorithm>(['es256', 'ed25519', 'rsa2048'])(
  'openssl verify agrees (%s)',
  (alg) => {
    it('on the healthy chain, with and without CRLs', async () => {
      const pki = await makePki(alg)
      const fixture = await validChain(pki)
      expect(opensslAccepts(fixture, `${alg}-valid`)).toBe(true)
      expect(opensslAccepts({ ...fixture, crls: pki.crls }, `${alg}-valid-crls`)).toBe(true)
      expect(reasonFor({ trustAnchors: pki.anchors, crls: pki.crls }, fixture.x5c)).toBe('accepted')
    })
  },
)

describe('openssl verify also refuses the faults it can see', () => {
  const visibleToOpenssl = new Set([
    'selfSignedLeaf',
    'leafSignedByLeaf',
    'leafFromOtherRoot',
    'forgedLeafSignature',
    'intermediateNotCa',
    'intermediateWithoutBasicConstraints',
    'intermediateWithoutKeyCertSign',
    'pathLenExceeded',
    'leafWithUnknownCriticalExtension',
    'expiredLeaf',
    'expiredIntermediate',
    'notYetValidLeaf',
    'notYetValidIntermediate',
    'revokedLeaf',
    'revokedIntermediate',
    'expiredCrl',
    'crlSignedByOtherKey',
  ])
  it.each(CHAIN_FAULTS.filter((fault) => visibleToOpenssl.has(fault.name)))(
    '$name → $reason, and openssl refuses',
    async ({ name, reason, build }) => {
      const fixture = await build(await makePki('es256'))
      expect(reasonFor({ trustAnchors: fixture.anchors, crls: fixture.crls }, fixture.x5c)).toBe(
        reason,
      )
      expect(opensslAccepts(fixture, name)).toBe(false)
    },
  )
})

/** A root CA made by `openssl req -x509` in its own directory, ready for `openssl ca -gencrl`. */
function opensslRoot(name: string, keyArgs: string, sigopts = '', leafSigopts = sigopts) {
  const cwd = join(dir, name)
  mkdirSync(cwd)
  writeFileSync(join(cwd, 'index.txt'), '')
  writeFileSync(join(cwd, 'crlnumber'), '01\n')
  writeFileSync(
    join(cwd, 'ca.cnf'),
    `[ ca ]
default_ca = CA_default
[ CA_default ]
database = ${cwd}/index.txt
crlnumber = ${cwd}/crlnumber
certificate = ${cwd}/ca.pem
private_key = ${cwd}/ca.key
default_md = sha256
default_crl_days = 7
`,
  )
  writeFileSync(
    join(cwd, 'leaf.ext'),
    `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = ${FEDMSG_MESSAGE_SIGNING_EKU}
`,
  )
  openssl(
    `req -x509 ${keyArgs} -nodes -keyout ca.key -out ca.pem -days 30 -subj /CN=${name}
     -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign ${sigopts}`,
    cwd,
  )
  /** Issues a leaf `cn` (P-256 key) with `openssl x509 -req`: no SKI/AKI, just the fedmsg profile. */
  const issueLeaf = (cn: string) => {
    openssl(`req -new ${P256} -nodes -keyout ${cn}.key -out ${cn}.csr -subj /CN=${cn}`, cwd)
    openssl(
      `x509 -req -in ${cn}.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30
       -extfile leaf.ext -out ${cn}.pem ${leafSigopts}`,
      cwd,
    )
    return certsIn(`${name}/${cn}.pem`)[0]!
  }
  /** `openssl ca -gencrl` with `extra` arguments (digest, signature options). */
  const gencrl = (extra = sigopts) => {
    openssl(`ca -config ca.cnf -gencrl -out crl.pem ${extra}`, cwd)
    return crlIn(`${name}/crl.pem`)[0]!
  }
  const revoke = (cn: string) => openssl(`ca -config ca.cnf -revoke ${cn}.pem`, cwd)
  return { anchor: certsIn(`${name}/ca.pem`)[0]!, issueLeaf, gencrl, revoke }
}

const P256 = '-newkey ec -pkeyopt ec_paramgen_curve:P-256'

/** Writes `der` to a fresh file in the test directory and returns its name. */
let derFiles = 0
function derFile(der: Uint8Array): string {
  const name = `cert-${derFiles++}.der`
  writeFileSync(join(dir, name), der)
  return name
}

describe('certificates and CRLs made by openssl', () => {
  it('a P-256 leaf from openssl x509 -req is accepted and named by its CN', () => {
    const ca = opensslRoot('ossl-p256', P256)
    const leaf = ca.issueLeaf('wiki')
    const chains = new ChainValidator({ trustAnchors: [ca.anchor] })
    expect(chains.validate([leaf], instant()).signer.name).toBe('wiki')
  })

  it('openssl ca -gencrl: an empty CRL passes, after openssl ca -revoke the leaf is revoked', () => {
    const ca = opensslRoot('ossl-crl', P256)
    const leaf = ca.issueLeaf('pkgdb')
    const options = (crl: Uint8Array) => ({
      trustAnchors: [ca.anchor],
      crls: [crl],
      requireCrls: true,
    })
    expect(reasonFor(options(ca.gencrl()), [leaf])).toBe('accepted')
    ca.revoke('pkgdb')
    expect(reasonFor(options(ca.gencrl()), [leaf])).toBe('revoked')
    expect(reasonFor(options(ca.gencrl('-md sha384')), [leaf])).toBe('revoked')
  })

  it('a CRL signed with SHA-1 does not count → crl_unavailable', () => {
    const ca = opensslRoot('ossl-sha1', P256)
    const leaf = ca.issueLeaf('fas')
    const crl = ca.gencrl('-md sha1')
    expect(reasonFor({ trustAnchors: [ca.anchor], crls: [crl] }, [leaf])).toBe('crl_unavailable')
  })

  // Issue 12 item 2: OpenSSL verifies SHA-1 and MD5 certificate signatures, so the allowlist must refuse them.
  it.each([
    { key: 'rsa:2048', digest: 'sha1', algorithm: 'sha1WithRSAEncryption' },
    { key: 'rsa:2048', digest: 'md5', algorithm: 'md5WithRSAEncryption' },
    { key: 'ec -pkeyopt ec_paramgen_curve:P-256', digest: 'sha1', algorithm: 'ecdsa-with-SHA1' },
  ])('a leaf signed with $algorithm → untrusted_chain', ({ key, digest, algorithm }) => {
    const ca = opensslRoot(
      `ossl-leaf-${digest}-${key.slice(0, 2)}`,
      `-newkey ${key}`,
      '',
      `-${digest}`,
    )
    const leaf = ca.issueLeaf('bodhi')
    expect(openssl(`x509 -inform DER -noout -text -in ${derFile(leaf)}`)).toContain(algorithm)
    expect(reasonFor({ trustAnchors: [ca.anchor] }, [leaf])).toBe('untrusted_chain')
  })

  it('an anchor whose own self-signature is SHA-1 still anchors SHA-256 chains: it is not checked', () => {
    const ca = opensslRoot('ossl-sha1-anchor', '-newkey rsa:2048', '-sha1', '-sha256')
    expect(reasonFor({ trustAnchors: [ca.anchor] }, [ca.issueLeaf('koji')])).toBe('accepted')
  })

  it('RSA-PSS: a PSS-signed leaf is accepted and a PSS-signed CRL revokes', () => {
    const pss = '-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32'
    const ca = opensslRoot('ossl-pss', '-newkey rsa:2048', pss)
    const leaf = ca.issueLeaf('koji')
    expect(reasonFor({ trustAnchors: [ca.anchor], crls: [ca.gencrl()] }, [leaf])).toBe('accepted')
    ca.revoke('koji')
    expect(reasonFor({ trustAnchors: [ca.anchor], crls: [ca.gencrl()] }, [leaf])).toBe('revoked')
  })

  it('Ed448: a CRL signed by an Ed448 CA revokes', () => {
    const ca = opensslRoot('ossl-ed448', '-newkey ed448')
    const leaf = ca.issueLeaf('git')
    ca.revoke('git')
    expect(reasonFor({ trustAnchors: [ca.anchor], crls: [ca.gencrl('')] }, [leaf])).toBe('revoked')
  })

  it('an anchor with an unsupported critical extension → CertInvalid', () => {
    openssl(
      `req -x509 ${P256} -nodes -keyout critical.key -out critical.pem -days 1 -subj /CN=Critical
       -addext basicConstraints=critical,CA:TRUE -addext 1.3.6.1.4.1.55555.1.1=critical,ASN1:NULL`,
    )
    expect(() => new ChainValidator({ trustAnchors: certsIn('critical.pem') })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CERT_INVALID' }),
    )
  })
})
