import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createRootCertificate, validityFor } from '../../src/ca/certificate-factory.js'
import { generateKeyPair } from '../../src/ca/key-pair.js'
import { BUNDLED_DEV_CA_DIR } from '../../src/config/bundled-dev-ca.js'
import { loadConfig, type LoadConfigOptions } from '../../src/config/load-config.js'
import { exportPrivateKeyPem } from '../../src/crypto/keys/key-file.js'
import { makeConfigTree, type ConfigTree } from './config-tree.js'

const OPENSSL = '/usr/bin/openssl'

/**
 * PEM of a stand-in dev root and dev issuing CA (the ones a temp dev CA dir holds), of another certificate for
 * the dev root's key, and of an unrelated production root.
 */
let devRootPem: string
let devIssuingPem: string
let devRootReissuedPem: string
let prodRootPem: string
let devKeys: ReturnType<typeof generateKeyPair>
beforeAll(async () => {
  devKeys = generateKeyPair('es256')
  const devIssuingKeys = generateKeyPair('es256')
  const prodKeys = generateKeyPair('es256')
  devRootPem = (await createRootCertificate('Dev Root', devKeys, validityFor(30))).toString('pem')
  devIssuingPem = (
    await createRootCertificate('Dev Issuing CA', devIssuingKeys, validityFor(30))
  ).toString('pem')
  devRootReissuedPem = (
    await createRootCertificate('Renamed Root', devKeys, validityFor(60))
  ).toString('pem')
  prodRootPem = (await createRootCertificate('Prod Root', prodKeys, validityFor(30))).toString(
    'pem',
  )
})

let tree: ConfigTree
/** The injected bundled dev CA: `tree/devca`, laid out as certs/dev. */
let devCaDir: string
beforeEach(() => {
  tree = makeConfigTree()
  devCaDir = tree.path('devca')
  tree.write('devca/root-ca.crt', devRootPem)
  tree.write('devca/ca/intermediate/ca.crt', devIssuingPem)
  tree.write('devca/services/bodhi.crt', 'not read by the guard')
  tree.write('devca/services/bodhi.key', 'not read by the guard')
})
afterEach(() => tree.remove())

function load(file: unknown, options: LoadConfigOptions = {}) {
  tree.write('fedmsg.d/10-bus.json', file)
  return loadConfig({ cwd: tree.root, env: {}, searchDirs: ['fedmsg.d'], devCaDir, ...options })
}

const refused = (pattern: RegExp) =>
  expect.objectContaining({
    code: 'ERR_FEDMSG_DEV_CA_IN_PROD',
    message: expect.stringMatching(pattern),
  })

describe('a prod config must not trust the bundled dev root', () => {
  it('a copy of the dev root outside the dev CA dir is refused, naming the file and what to do', () => {
    tree.write('pki/root.crt', devRootPem)
    expect(() => load({ environment: 'prod', trust: ['../pki/root.crt'] })).toThrow(
      refused(
        new RegExp(
          `trust file ${tree.path('pki/root.crt')} \\(set in fedmsg\\.d/10-bus\\.json\\) holds the ` +
            'bundled development root CA.*private key is public.*set environment to "dev"',
        ),
      ),
    )
  })

  it('the dev root inside a bundle of several anchors is refused', () => {
    tree.write('pki/bundle.pem', `${prodRootPem}${devRootPem}`)
    expect(() => load({ environment: 'prod', trust: ['../pki/bundle.pem'] })).toThrow(
      refused(/bundle\.pem/),
    )
  })

  it('the dev root in DER form (converted by openssl) is refused', () => {
    tree.write('pki/root.pem', devRootPem)
    execFileSync(OPENSSL, [
      'x509',
      '-in',
      tree.path('pki/root.pem'),
      '-outform',
      'DER',
      '-out',
      tree.path('pki/root.der'),
    ])
    expect(() => load({ environment: 'prod', trust: ['../pki/root.der'] })).toThrow(
      refused(/root\.der/),
    )
  })

  it('bug: a copy of the dev issuing CA (intermediate) was trusted in prod → refused', () => {
    tree.write('pki/issuing.crt', devIssuingPem)
    expect(() => load({ environment: 'prod', trust: ['../pki/issuing.crt'] })).toThrow(
      refused(/issuing\.crt.*holds the bundled development issuing CA .*private key is public/),
    )
  })

  it('another certificate for the dev root key (same SPKI, other name and bytes) is refused', () => {
    tree.write('pki/renamed.crt', devRootReissuedPem)
    expect(() => load({ environment: 'prod', trust: ['../pki/renamed.crt'] })).toThrow(
      refused(/renamed\.crt.*development root CA/),
    )
  })

  it('a certificate for the dev root key with its EC point compressed (other SPKI bytes) is refused', () => {
    const key = tree.write('work/dev.key', exportPrivateKeyPem(devKeys.privateKey))
    const compressed = tree.path('work/compressed.key')
    execFileSync(OPENSSL, ['ec', '-in', key, '-conv_form', 'compressed', '-out', compressed], {
      stdio: 'ignore',
    })
    const cert = tree.path('work/compressed.crt')
    execFileSync(OPENSSL, [
      'req',
      '-new',
      '-x509',
      '-key',
      compressed,
      '-subj',
      '/CN=Compressed Root',
      '-days',
      '30',
      '-out',
      cert,
    ])
    // A P-256 SubjectPublicKeyInfo is 59 bytes with a compressed point, 91 with an uncompressed one.
    const spki = execFileSync(OPENSSL, ['x509', '-in', cert, '-noout', '-pubkey']).toString()
    expect(Buffer.from(spki.replace(/-----[^-]+-----|\s/g, ''), 'base64')).toHaveLength(59)
    expect(() => load({ environment: 'prod', trust: ['../work/compressed.crt'] })).toThrow(
      refused(/compressed\.crt.*development root CA/),
    )
  })

  it('another root is accepted in prod', () => {
    tree.write('pki/root.crt', prodRootPem)
    const { config } = load({ environment: 'prod', trust: ['../pki/root.crt'] })
    expect(config.trust).toEqual([tree.path('pki/root.crt')])
  })

  it.each(['dev', 'stg'] as const)('environment %s may trust the dev root', (environment) => {
    tree.write('pki/root.crt', devRootPem)
    expect(load({ environment, trust: ['../pki/root.crt'] }).config.environment).toBe(environment)
  })

  it('a prod trust file that does not exist is ERR_FEDMSG_CONFIG_NOT_FOUND', () => {
    expect(() => load({ environment: 'prod', trust: ['../pki/missing.crt'] })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CONFIG_NOT_FOUND' }),
    )
  })

  it('environment prod set by a later file than the trust list is still checked', () => {
    tree.write('pki/root.crt', devRootPem)
    tree.write('fedmsg.d/90-prod.json', { environment: 'prod' })
    expect(() => load({ trust: ['../pki/root.crt'] })).toThrow(refused(/10-bus\.json/))
  })
})

describe('a prod config must not use paths inside the bundled dev CA dir', () => {
  it.each([
    ['certs.bodhi.cert', { cert: '../devca/services/bodhi.crt', key: '../pki/bodhi.key' }],
    ['certs.bodhi.key', { cert: '../pki/bodhi.crt', key: '../devca/services/bodhi.key' }],
    [
      'certs.bodhi.passphrase_file',
      { cert: '../pki/b.crt', key: '../pki/b.key', passphrase_file: '../devca/pass' },
    ],
  ])('%s inside the dev CA is refused', (key, bodhi) => {
    expect(() => load({ environment: 'prod', certs: { bodhi } })).toThrow(
      refused(
        new RegExp(
          `${key.replaceAll('.', '\\.')} \\(set in fedmsg\\.d/10-bus\\.json\\) is .*inside the bundled development CA`,
        ),
      ),
    )
  })

  it('a trust or crl path inside the dev CA is refused, even when the file is not the root', () => {
    tree.write('devca/ca/intermediate/ca.crt', prodRootPem)
    expect(() => load({ environment: 'prod', trust: ['../devca/ca/intermediate/ca.crt'] })).toThrow(
      refused(/trust\[0\]/),
    )
    expect(() => load({ environment: 'prod', crl: ['../devca/crl.pem'] })).toThrow(
      refused(/crl\[0\]/),
    )
  })

  it('a symlink pointing into the dev CA is refused', () => {
    mkdirSync(tree.path('pki'))
    symlinkSync(join(devCaDir, 'services'), tree.path('pki/services'))
    expect(() =>
      load({
        environment: 'prod',
        certs: { bodhi: { cert: '../pki/services/bodhi.crt', key: '../pki/services/bodhi.key' } },
      }),
    ).toThrow(refused(/certs\.bodhi\.cert/))
  })

  it('a dev leaf copied elsewhere passes the path rule: it verifies only under the dev root, refused above', () => {
    mkdirSync(tree.path('pki'))
    copyFileSync(join(devCaDir, 'services/bodhi.crt'), tree.path('pki/bodhi.crt'))
    const { config } = load({
      environment: 'prod',
      certs: { bodhi: { cert: '../pki/bodhi.crt', key: '../pki/bodhi.key' } },
    })
    expect(config.certs.bodhi!.cert).toBe(tree.path('pki/bodhi.crt'))
  })
})

describe('the default dev CA is the one bundled with the package', () => {
  it('BUNDLED_DEV_CA_DIR is <package root>/certs/dev', () => {
    expect(BUNDLED_DEV_CA_DIR).toBe(resolve(import.meta.dirname, '../../certs/dev'))
  })

  it('a copy of the bundled root-ca.crt in a prod trust list is refused without a devCaDir option', () => {
    copyFileSync(join(BUNDLED_DEV_CA_DIR, 'root-ca.crt'), tree.path('copy.crt'))
    tree.write('fedmsg.d/10-bus.json', { environment: 'prod', trust: ['../copy.crt'] })
    expect(() => loadConfig({ cwd: tree.root, env: {}, searchDirs: ['fedmsg.d'] })).toThrow(
      refused(/copy\.crt/),
    )
  })
})

describe('issue #19 item 4: every key bundled in certs/dev counts, service keys too', () => {
  /** `openssl req -x509 -key KEY`: a CA certificate someone made on a key they found in the package. */
  function caOnKey(key: string, out: string): string {
    execFileSync(
      OPENSSL,
      ['req', '-x509', '-key', key, '-subj', '/CN=Found Key CA', '-days', '30', '-out', out],
      {
        stdio: 'ignore',
      },
    )
    return out
  }

  it('a trust anchor made on a dev service key (services/koji.key) is refused in prod', () => {
    tree.write('devca/services/koji.key', exportPrivateKeyPem(generateKeyPair('es256').privateKey))
    mkdirSync(tree.path('pki'))
    caOnKey(join(devCaDir, 'services/koji.key'), tree.path('pki/koji-ca.crt'))
    expect(() => load({ environment: 'prod', trust: ['../pki/koji-ca.crt'] })).toThrow(
      refused(/koji-ca\.crt .*services\/koji\.key.*private key is public/),
    )
  })

  it('a trust anchor made on the real bundled certs/dev/services/bodhi.key is refused', () => {
    const cert = caOnKey(join(BUNDLED_DEV_CA_DIR, 'services/bodhi.key'), tree.path('bodhi-ca.crt'))
    tree.write('fedmsg.d/10-bus.json', { environment: 'prod', trust: [cert] })
    expect(() => loadConfig({ cwd: tree.root, env: {}, searchDirs: ['fedmsg.d'] })).toThrow(
      refused(/bodhi-ca\.crt .*services\/bodhi\.key/),
    )
  })

  it('an intermediate made on a dev key, sent after a prod leaf in certs.*.cert, is refused', () => {
    tree.write('devca/services/wiki.key', exportPrivateKeyPem(generateKeyPair('es256').privateKey))
    mkdirSync(tree.path('pki'))
    const intermediate = caOnKey(join(devCaDir, 'services/wiki.key'), tree.path('pki/i.crt'))
    tree.write('pki/bodhi.crt', `${prodRootPem}${readFileSync(intermediate, 'utf8')}`)
    expect(() =>
      load({
        environment: 'prod',
        certs: { bodhi: { cert: '../pki/bodhi.crt', key: '../pki/bodhi.key' } },
      }),
    ).toThrow(refused(/certs\.bodhi\.cert .*intermediate .*services\/wiki\.key/))
  })

  it("the leaf of certs.*.cert is the service's own: only what follows it is compared", () => {
    tree.write('pki/bodhi.crt', `${devRootPem}${prodRootPem}`)
    const { config } = load({
      environment: 'prod',
      certs: { bodhi: { cert: '../pki/bodhi.crt', key: '../pki/bodhi.key' } },
    })
    expect(config.certs.bodhi!.cert).toBe(tree.path('pki/bodhi.crt'))
  })
})
