/**
 * Issue #19 item 9: whatever a command is fed, the user gets one line saying what is wrong and an exit status
 * from the contract (2 usage/configuration, 1 rejected), never a stack trace. Each case is a real
 * `node bin/fedmsg.js` process (run `npm run build` first). A full disk is a real kernel failure here: the
 * process runs under `ulimit -f 1` (files of at most 512 bytes), so its writes fail with EFBIG.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initRootCa } from '../../src/ca/init-root-ca.js'
import { issueIntermediateCa } from '../../src/ca/issue-intermediate-ca.js'
import { makeTempDir } from '../ca/ca-test-kit.js'
import { assertBuilt, REPO } from './cli-process.js'

const BIN = join(REPO, 'bin', 'fedmsg.js')

let temp: ReturnType<typeof makeTempDir>
let root: string
let inter: string
beforeAll(async () => {
  assertBuilt('ca')
  temp = makeTempDir('fedmsg-hostile-')
  root = join(temp.dir, 'root')
  inter = join(temp.dir, 'inter')
  await initRootCa({ dir: root })
  await issueIntermediateCa({ parentDir: root, outDir: inter, cn: 'Hostile Issuing' })
  writeFileSync(join(temp.dir, 'garbage.pem'), '-----BEGIN CERTIFICATE-----\n!!!\n')
  writeFileSync(join(temp.dir, 'deep.json'), `{"consumers":${'['.repeat(1e6)}${']'.repeat(1e6)}}`)
  mkdirSync(join(temp.dir, 'a-directory'))
})
afterAll(() => temp.remove())

interface Outcome {
  readonly code: number | null
  readonly stderr: string
}

/** Runs `fedmsg ARGS` with a clean environment (HOME = the temp dir), optionally under a file-size limit. */
function run(args: readonly string[], options: { stdin?: string; fsizeBlocks?: number } = {}) {
  const command = options.fsizeBlocks === undefined ? process.execPath : '/bin/sh'
  const argv =
    options.fsizeBlocks === undefined
      ? [BIN, ...args]
      : ['-c', `ulimit -f ${options.fsizeBlocks} && exec "$0" "$@"`, process.execPath, BIN, ...args]
  return new Promise<Outcome>((done) => {
    const child = spawn(command, argv, {
      cwd: temp.dir,
      env: { PATH: process.env.PATH ?? '', HOME: temp.dir },
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdout.resume()
    child.stdin.end(options.stdin ?? '')
    child.on('close', (code) => done({ code, stderr }))
  })
}

const STACK_TRACE = /^\s+at .+|node:internal|file:\/\/|\.[cm]?js:\d+:\d+/m

const d = (name: string) => join(temp.dir, name)

/** [name, argv, expected exit status, what stderr must say]. */
const CASES: [string, () => string[], number, RegExp, { stdin?: string; fsizeBlocks?: number }?][] =
  [
    ['ca init --cn ""', () => ['ca', 'init', '--dir', d('r1'), '--cn', ''], 2, /ERR_FEDMSG_USAGE/],
    [
      'ca init --days 2920000',
      () => ['ca', 'init', '--dir', d('r2'), '--days', '2920000'],
      2,
      /9999/,
    ],
    [
      'ca init --not-before 1900-01-01',
      () => ['ca', 'init', '--dir', d('r3'), '--not-before', '1900-01-01T00:00:00Z'],
      2,
      /1950/,
    ],
    ['ca init under a file', () => ['ca', 'init', '--dir', '/dev/null/ca'], 2, /CA_WRITE_FAILED/],
    [
      'ca init on a full disk',
      () => ['ca', 'init', '--dir', d('full')],
      2,
      /EFBIG/,
      { fsizeBlocks: 1 },
    ],
    [
      'ca intermediate --dir missing',
      () => ['ca', 'intermediate', '--dir', d('nope'), '--out', d('i1'), '--cn', 'x'],
      2,
      /CA_NOT_FOUND/,
    ],
    [
      'ca intermediate --cn #13036162',
      () => ['ca', 'intermediate', '--dir', root, '--out', d('i2'), '--cn', '#13036162'],
      0,
      /^$/,
    ],
    [
      'ca intermediate --cn x\\',
      () => ['ca', 'intermediate', '--dir', root, '--out', d('i3'), '--cn', 'x\\'],
      0,
      /^$/,
    ],
    [
      'ca issue --service ca --out <CA> --force',
      () => ['ca', 'issue', '--dir', inter, '--service', 'ca', '--out', inter, '--force'],
      2,
      /CA directory/,
    ],
    [
      'ca issue --service ../x',
      () => ['ca', 'issue', '--dir', inter, '--service', '../x', '--out', d('o1')],
      2,
      /ERR_FEDMSG_USAGE/,
    ],
    [
      'ca issue --days 99999999',
      () => [
        'ca',
        'issue',
        '--dir',
        inter,
        '--service',
        'a',
        '--out',
        d('o2'),
        '--days',
        '99999999',
      ],
      2,
      /ERR_FEDMSG_USAGE/,
    ],
    [
      'ca issue on a full disk',
      () => ['ca', 'issue', '--dir', inter, '--service', 'full', '--out', d('o3')],
      2,
      /EFBIG/,
      { fsizeBlocks: 1 },
    ],
    [
      'ca revoke --serial zz',
      () => ['ca', 'revoke', '--dir', inter, '--serial', 'zz'],
      2,
      /ERR_FEDMSG_USAGE/,
    ],
    [
      'ca revoke --cert <garbage>',
      () => ['ca', 'revoke', '--dir', inter, '--cert', d('garbage.pem')],
      2,
      /ERR_FEDMSG_CERT_INVALID/,
    ],
    [
      'ca revoke --cert <directory>',
      () => ['ca', 'revoke', '--dir', inter, '--cert', d('a-directory')],
      2,
      /ERR_FEDMSG_CERT_INVALID/,
    ],
    [
      'ca crl --out <missing dir>',
      () => ['ca', 'crl', '--dir', inter, '--out', d('no/such/x.crl')],
      2,
      /ENOENT/,
    ],
    [
      'ca crl --days 99999999',
      () => ['ca', 'crl', '--dir', inter, '--out', d('x.crl'), '--days', '99999999'],
      2,
      /9999/,
    ],
    [
      'ca crl --this-update 1900',
      () => [
        'ca',
        'crl',
        '--dir',
        inter,
        '--out',
        d('x.crl'),
        '--this-update',
        '1900-01-01T00:00:00Z',
      ],
      2,
      /1950/,
    ],
    ['ca list --dir <file>', () => ['ca', 'list', '--dir', d('garbage.pem')], 2, /CA_NOT_FOUND/],
    ['config nested a million levels', () => ['config', '--config', d('deep.json')], 2, /fedmsg: /],
    ['config --config <missing>', () => ['config', '--config', d('nope.json')], 2, /fedmsg: /],
    [
      'sign --cert <garbage>',
      () => ['sign', '--topic', 'a.b', '--cert', d('garbage.pem'), '--key', d('garbage.pem')],
      2,
      /fedmsg: /,
      { stdin: '{}' },
    ],
    [
      'verify garbage lines',
      () => ['verify', '--ca', join(root, 'root.crt')],
      1,
      /^$/,
      { stdin: 'garbage\n{"a":\n\u0000\n' },
    ],
    [
      'verify --ca <directory>',
      () => ['verify', '--ca', d('a-directory')],
      2,
      /fedmsg: /,
      { stdin: '{}\n' },
    ],
    ['hub --config <deep>', () => ['hub', '--config', d('deep.json')], 2, /fedmsg: /],
    ['relay --config <missing>', () => ['relay', '--config', d('nope.json')], 2, /fedmsg: /],
    [
      'logger --config <missing>',
      () => ['logger', '--topic', 'a.b', '--config', d('nope.json'), '--message', 'x'],
      2,
      /fedmsg: /,
    ],
    ['tail --config <deep>', () => ['tail', '--config', d('deep.json')], 2, /fedmsg: /],
    ['demo --bogus', () => ['demo', '--bogus'], 2, /unknown option/],
  ]

describe('no stack trace reaches the user', () => {
  it.each(CASES)('%s', async (_, args, code, says, options) => {
    const outcome = await run(args(), options)
    expect(outcome.stderr).not.toMatch(STACK_TRACE)
    expect(outcome.stderr).toMatch(says)
    expect(outcome.code, outcome.stderr).toBe(code)
  })

  it('a command refused on a full disk leaves nothing behind (no dir, no NAME.key without NAME.crt)', async () => {
    await run(['ca', 'init', '--dir', d('full2')], { fsizeBlocks: 1 })
    expect(readdirSync(temp.dir)).not.toContain('full2')
    await run(['ca', 'issue', '--dir', inter, '--service', 'full', '--out', d('o4')], {
      fsizeBlocks: 1,
    })
    expect(readdirSync(temp.dir)).not.toContain('o4')
    expect(
      readdirSync(inter).filter((name) => name.endsWith('.tmp') || name === 'ca.lock'),
    ).toEqual([])
  })
})
