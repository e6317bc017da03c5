/**
 * Black-box tests of `fedmsg sign` and `fedmsg verify`: spawn `node bin/fedmsg.js` (which runs dist/, so build
 * first: `npx tsc -p tsconfig.build.json`) with real certificate, key, CRL and policy files in a temp dir.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportPrivateKeyPem } from '../../src/crypto/keys/key-file.js'
import { encodePem, PEM_LABEL } from '../../src/crypto/pem.js'
import { crlOf, makePki, type Pki } from '../fixtures/pki.js'

const REPO = resolve(import.meta.dirname, '../..')
const BIN = resolve(REPO, 'bin/fedmsg.js')
const TOPIC = 'org.fedoraproject.dev.bodhi.update.request'
const BODY = '{"update":"bodhi-7.2.1-1.fc40","agent":"lmacken"}'

let dir: string
let pki: Pki
const path = (name: string) => join(dir, name)

function write(name: string, content: string, mode = 0o600): string {
  writeFileSync(path(name), content, { mode })
  return path(name)
}

function fedmsg(args: string[], stdin = '') {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    input: stdin,
    env: { PATH: process.env.PATH ?? '', HOME: dir },
    encoding: 'utf8',
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const verdicts = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

const SIGN = () => ['sign', '--cert', path('bodhi.crt'), '--key', path('bodhi.key')]
const VERIFY = () => ['verify', '--ca', path('root.crt')]

beforeAll(async () => {
  if (!existsSync(resolve(REPO, 'dist/cli/commands/verify.js'))) {
    throw new Error('dist/ is missing the verify command: run npx tsc -p tsconfig.build.json first')
  }
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-sign-verify-'))
  pki = await makePki('es256')
  const pem = (der: Uint8Array) => encodePem(der, PEM_LABEL.certificate)
  write('root.crt', pem(pki.root.der), 0o644)
  write('bodhi.crt', pem(pki.leaf.der) + pem(pki.intermediate.der), 0o644)
  write('leaf-only.crt', pem(pki.leaf.der), 0o644)
  write('intermediate.crt', pem(pki.intermediate.der), 0o644)
  write('bodhi.key', exportPrivateKeyPem(pki.leafKey))
  write('open.key', exportPrivateKeyPem(pki.leafKey), 0o644)
  const revoking = await crlOf(pki.intermediate, [pki.leaf])
  write('revoked.crl', encodePem(pki.rootCrl, PEM_LABEL.crl) + encodePem(revoking, PEM_LABEL.crl))
  write('policy.json', JSON.stringify({ rules: [{ topic: 'org.*.*.bodhi.>', allow: ['koji'] }] }))
  write('broken-policy.json', '{"rules": [')
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('fedmsg sign | fedmsg verify', () => {
  it('round trip: the signed line verifies, exit 0', () => {
    const signed = fedmsg(
      [...SIGN(), '--topic', TOPIC, '--seq', '5', '--headers', '{"a":"b"}'],
      BODY,
    )
    expect(signed).toMatchObject({ code: 0, stderr: '' })
    expect(signed.stdout.endsWith('\n')).toBe(true)
    expect(signed.stdout.trimEnd()).not.toContain('\n')
    const envelope = JSON.parse(signed.stdout)
    expect(envelope).toMatchObject({ topic: TOPIC, i: 5, alg: 'ES256', headers: { a: 'b' } })
    expect(envelope.x5c).toHaveLength(2)
    const verified = fedmsg(VERIFY(), signed.stdout)
    expect(verified.code).toBe(0)
    expect(verdicts(verified.stdout)).toEqual([
      { ok: true, topic: TOPIC, signer: 'bodhi', msg_id: envelope.msg_id },
    ])
  })

  it('--passphrase-file unlocks an encrypted key', () => {
    const key = write('encrypted.key', exportPrivateKeyPem(pki.leafKey, 'sesame'))
    const pass = write('pass.txt', 'sesame\n')
    const args = ['sign', '--cert', path('bodhi.crt'), '--key', key, '--passphrase-file', pass]
    expect(fedmsg([...args, '--topic', TOPIC], BODY).code).toBe(0)
    expect(fedmsg([...args.slice(0, 5), '--topic', TOPIC], BODY).code).toBe(2)
  })

  it('a --passphrase-file others can read is refused like a key: exit 2, ERR_FEDMSG_KEY_INSECURE', () => {
    const key = write('encrypted-2.key', exportPrivateKeyPem(pki.leafKey, 'sesame'))
    const pass = write('open-pass.txt', 'sesame\n', 0o644)
    const args = ['sign', '--cert', path('bodhi.crt'), '--key', key, '--passphrase-file', pass]
    const result = fedmsg([...args, '--topic', TOPIC], BODY)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('ERR_FEDMSG_KEY_INSECURE')
    expect(result.stderr).toContain(`chmod 600 ${pass}`)
  })

  it('--chain adds intermediates to a leaf-only --cert', () => {
    const args = ['sign', '--cert', path('leaf-only.crt'), '--chain', path('intermediate.crt')]
    const signed = fedmsg([...args, '--key', path('bodhi.key'), '--topic', TOPIC], BODY)
    expect(signed.code).toBe(0)
    expect(verdicts(fedmsg(VERIFY(), signed.stdout).stdout)[0]).toMatchObject({ ok: true })
  })

  it('one verdict per line: valid, tampered, not JSON, replayed → exit 1', () => {
    const line = fedmsg([...SIGN(), '--topic', TOPIC], BODY).stdout.trimEnd()
    const tampered = line.replace('lmacken', 'mallory')
    const { code, stdout } = fedmsg(VERIFY(), [line, tampered, 'not json', line].join('\n'))
    expect(code).toBe(1)
    const reasons = verdicts(stdout).map((v) => (v.ok ? 'ok' : v.reason))
    expect(reasons).toEqual(['ok', 'bad_signature', 'malformed', 'replay'])
    expect(Object.keys(verdicts(stdout)[1]!)).toEqual(['ok', 'reason', 'detail'])
  })

  it.each([
    [
      '--frame-topic of another topic',
      ['--frame-topic', 'org.fedoraproject.dev.koji.x'],
      'topic_mismatch',
    ],
    ['--policy that allows only koji', ['--policy', 'policy.json'], 'policy_denied'],
    ['--crl revoking the leaf', ['--crl', 'revoked.crl'], 'revoked'],
    ['--max-age 60 --now in two minutes', ['--max-age', '60', '--now', 'LATER'], 'stale'],
    ['--skew 0 --now a minute ago', ['--skew', '0', '--now', 'EARLIER'], 'future'],
  ])('%s → exit 1', (_name, flags, reason) => {
    const line = fedmsg([...SIGN(), '--topic', TOPIC], BODY).stdout
    const timestamp = JSON.parse(line).timestamp as number
    const args = flags.map((flag) =>
      flag === 'LATER'
        ? new Date(timestamp + 120_000).toISOString()
        : flag === 'EARLIER'
          ? new Date(timestamp - 60_000).toISOString()
          : flag.endsWith('.json') || flag.endsWith('.crl')
            ? path(flag)
            : flag,
    )
    const { code, stdout } = fedmsg([...VERIFY(), ...args], line)
    expect(code).toBe(1)
    expect(verdicts(stdout)[0]).toMatchObject({ ok: false, reason })
  })
})

describe('usage and configuration errors exit 2', () => {
  it.each([
    ['verify without --ca', ['verify']],
    ['verify with an unknown flag', ['verify', '--ca', 'root.crt', '--bogus']],
    ['verify with a missing --ca file', ['verify', '--ca', 'nope.crt']],
    ['verify with an invalid --now', ['verify', '--ca', 'root.crt', '--now', 'yesterday-ish']],
    ['verify with a negative --max-age', ['verify', '--ca', 'root.crt', '--max-age', '-1']],
    [
      'verify with a policy that is not JSON',
      ['verify', '--ca', 'root.crt', '--policy', 'broken-policy.json'],
    ],
    ['verify with a key file as --ca', ['verify', '--ca', 'bodhi.key']],
    ['sign without --topic', ['sign', '--cert', 'bodhi.crt', '--key', 'bodhi.key']],
    [
      'sign with an invalid topic',
      ['sign', '--cert', 'bodhi.crt', '--key', 'bodhi.key', '--topic', 'a..b'],
    ],
    [
      'sign with --seq 0',
      ['sign', '--cert', 'bodhi.crt', '--key', 'bodhi.key', '--topic', TOPIC, '--seq', '0'],
    ],
    [
      'sign with an unknown --alg',
      ['sign', '--cert', 'bodhi.crt', '--key', 'bodhi.key', '--topic', TOPIC, '--alg', 'none'],
    ],
    [
      'sign with an alg that does not fit the key',
      ['sign', '--cert', 'bodhi.crt', '--key', 'bodhi.key', '--topic', TOPIC, '--alg', 'PS256'],
    ],
    [
      'sign with headers that are not strings',
      [
        'sign',
        '--cert',
        'bodhi.crt',
        '--key',
        'bodhi.key',
        '--topic',
        TOPIC,
        '--headers',
        '{"a":1}',
      ],
    ],
    [
      'sign with a world-readable key',
      ['sign', '--cert', 'bodhi.crt', '--key', 'open.key', '--topic', TOPIC],
    ],
  ])('%s', (_name, args) => {
    const { code, stdout } = fedmsg(
      args.map((arg) => (existsSync(path(arg)) ? path(arg) : arg)),
      BODY,
    )
    expect(code).toBe(2)
    expect(stdout).toBe('')
  })

  it('sign with a body that is not a JSON object', () => {
    for (const body of ['not json', '[1,2]']) {
      const { code, stderr } = fedmsg([...SIGN(), '--topic', TOPIC], body)
      expect(code).toBe(2)
      expect(stderr).toContain('ERR_FEDMSG_USAGE')
    }
  })
})
