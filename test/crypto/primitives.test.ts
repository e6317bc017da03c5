import { execFileSync } from 'node:child_process'
import { createSecretKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  assertAlgFitsKey,
  defaultAlgFor,
  describeAlgMismatch,
  isAlg,
} from '../../src/crypto/algorithms.js'
import { signBytes, verifyBytes } from '../../src/crypto/primitives.js'
import type { Alg } from '../../src/crypto/envelope/verified-message.js'

const OPENSSL = '/usr/bin/openssl'
const INPUT = Buffer.from('{"alg":"ES256","msg":{"x":"€"},"v":"fedmsg/1"}', 'utf8')

/** DER `SEQUENCE { INTEGER r, INTEGER s }` of a P1363 `r || s` signature (SEC 1 §C.8), for OpenSSL. */
function p1363ToDer(signature: Buffer): Buffer {
  const integer = (bytes: Buffer) => {
    let value = bytes.subarray(bytes.findIndex((b) => b !== 0))
    if (value[0]! & 0x80) value = Buffer.concat([Buffer.from([0]), value])
    return Buffer.concat([Buffer.from([0x02, value.length]), value])
  }
  const body = Buffer.concat([integer(signature.subarray(0, 32)), integer(signature.subarray(32))])
  return Buffer.concat([Buffer.from([0x30, body.length]), body])
}

let dir: string
const keys: Record<'ec' | 'ed' | 'rsa', { privateKey: KeyObject; publicKey: KeyObject }> =
  {} as never

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'spki' }) as string
const openssl = (...args: string[]) =>
  execFileSync(OPENSSL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-primitives-'))
  keys.ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  keys.ed = generateKeyPairSync('ed25519')
  keys.rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  file('input', INPUT)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('signatures checked by OpenSSL', () => {
  it('an ES256 signature made here (P1363 → DER) verifies with openssl dgst', () => {
    const signature = signBytes('ES256', keys.ec.privateKey, INPUT)
    expect(signature).toHaveLength(64)
    const out = openssl(
      'dgst',
      '-sha256',
      '-verify',
      file('ec.pem', pem(keys.ec.publicKey)),
      '-signature',
      file('es256.der', p1363ToDer(signature)),
      join(dir, 'input'),
    )
    expect(out).toContain('Verified OK')
  })

  it('an Ed25519 signature made here verifies with openssl pkeyutl -rawin', () => {
    const signature = signBytes('EdDSA', keys.ed.privateKey, INPUT)
    const out = openssl(
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      file('ed.pem', pem(keys.ed.publicKey)),
      '-rawin',
      '-in',
      join(dir, 'input'),
      '-sigfile',
      file('ed.sig', signature),
    )
    expect(out).toContain('Signature Verified Successfully')
  })

  it('a PS256 signature made here verifies with openssl dgst, PSS padding, salt length 32', () => {
    const signature = signBytes('PS256', keys.rsa.privateKey, INPUT)
    const out = openssl(
      'dgst',
      '-sha256',
      '-sigopt',
      'rsa_padding_mode:pss',
      '-sigopt',
      'rsa_pss_saltlen:32',
      '-verify',
      file('rsa.pem', pem(keys.rsa.publicKey)),
      '-signature',
      file('ps256.sig', signature),
      join(dir, 'input'),
    )
    expect(out).toContain('Verified OK')
  })

  it('an RS256 signature made here verifies with openssl dgst', () => {
    const signature = signBytes('RS256', keys.rsa.privateKey, INPUT)
    const out = openssl(
      'dgst',
      '-sha256',
      '-verify',
      file('rsa.pem', pem(keys.rsa.publicKey)),
      '-signature',
      file('rs256.sig', signature),
      join(dir, 'input'),
    )
    expect(out).toContain('Verified OK')
  })

  it('a PS256 signature made by OpenSSL with salt length 32 verifies here; one with the maximum salt does not', () => {
    const keyFile = file('rsa.key', keys.rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }))
    const signWithSalt = (salt: string) => {
      const out = join(dir, `pss-${salt}.sig`)
      openssl(
        'dgst',
        '-sha256',
        '-sigopt',
        'rsa_padding_mode:pss',
        '-sigopt',
        `rsa_pss_saltlen:${salt}`,
        '-sign',
        keyFile,
        '-out',
        out,
        join(dir, 'input'),
      )
      return readFileSync(out)
    }
    expect(verifyBytes('PS256', keys.rsa.publicKey, INPUT, signWithSalt('32'))).toBe(true)
    expect(verifyBytes('PS256', keys.rsa.publicKey, INPUT, signWithSalt('max'))).toBe(false)
  })
})

describe('verifyBytes', () => {
  it.each<Alg>(['ES256', 'EdDSA', 'PS256', 'RS256'])(
    '%s: true for its own signature, false for another input',
    (alg) => {
      const pair = alg === 'ES256' ? keys.ec : alg === 'EdDSA' ? keys.ed : keys.rsa
      const signature = signBytes(alg, pair.privateKey, INPUT)
      expect(verifyBytes(alg, pair.publicKey, INPUT, signature)).toBe(true)
      expect(verifyBytes(alg, pair.publicKey, Buffer.from('other'), signature)).toBe(false)
    },
  )

  it('ES256: a DER signature where P1363 is required is false', () => {
    const der = sign('sha256', INPUT, keys.ec.privateKey)
    expect(verifyBytes('ES256', keys.ec.publicKey, INPUT, der)).toBe(false)
  })

  it('is false instead of throwing when OpenSSL refuses the input (key of another type)', () => {
    const signature = signBytes('RS256', keys.rsa.privateKey, INPUT)
    expect(() => verify('sha256', INPUT, keys.ed.publicKey, signature)).toThrow()
    expect(verifyBytes('RS256', keys.ed.publicKey, INPUT, signature)).toBe(false)
  })

  it('PS256 and RS256 signatures are not interchangeable', () => {
    const pss = signBytes('PS256', keys.rsa.privateKey, INPUT)
    expect(verifyBytes('RS256', keys.rsa.publicKey, INPUT, pss)).toBe(false)
  })
})

describe('the algorithm table', () => {
  it('has no "none" and knows exactly the four algorithms', () => {
    expect(['ES256', 'EdDSA', 'PS256', 'RS256'].every(isAlg)).toBe(true)
    expect(['none', 'NONE', 'HS256', 'ES384', '', 42].some(isAlg)).toBe(false)
  })

  it.each([
    ['ES256', 'ed', 'needs an ec key'],
    ['EdDSA', 'ec', 'needs an ed25519 key'],
    ['RS256', 'ed', 'needs an rsa key'],
    ['ES256', 'p384', 'needs curve P-256'],
    ['PS256', 'rsa1024', 'at least 2048 bits'],
    ['RS256', 'rsa1024', 'at least 2048 bits'],
  ] as const)('%s does not fit a %s key: %s', (alg, keyName, message) => {
    const key =
      keyName === 'p384'
        ? generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey
        : keyName === 'rsa1024'
          ? generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey
          : keys[keyName].publicKey
    expect(describeAlgMismatch(alg, key)).toContain(message)
    expect(() => assertAlgFitsKey(alg, key)).toThrow(
      expect.objectContaining({ reason: 'alg_mismatch' }),
    )
  })

  it('a secret key fits no algorithm', () => {
    const secret = createSecretKey(Buffer.alloc(32))
    expect(describeAlgMismatch('ES256', secret)).toContain('got a secret key')
    expect(defaultAlgFor(secret)).toBeUndefined()
  })

  it('picks the default algorithm from the key type', () => {
    expect(defaultAlgFor(keys.ec.privateKey)).toBe('ES256')
    expect(defaultAlgFor(keys.ed.privateKey)).toBe('EdDSA')
    expect(defaultAlgFor(keys.rsa.privateKey)).toBe('PS256')
    expect(defaultAlgFor(generateKeyPairSync('x25519').privateKey)).toBeUndefined()
    expect(
      defaultAlgFor(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey),
    ).toBeUndefined()
  })
})
