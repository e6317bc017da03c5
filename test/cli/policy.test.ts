/**
 * `fedmsg policy who-can|can|lint|diff` as real processes (node bin/fedmsg.js, so build first), on policy files
 * and a real CA directory in a temp dir: what they print, and the exit codes CI relies on (0 yes/clean/no
 * change, 1 no/problems/changes, 2 usage or configuration error).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, REPO, runCli } from './cli-process.js'

const BODHI_TOPIC = 'org.fedoraproject.prod.bodhi.update.request'

const POLICY = {
  default: 'deny',
  rules: [
    { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] },
    { topic: 'org.fedoraproject.*.bodhi.update.>', allow: ['tagger'] },
    { topic: 'org.fedoraproject.*.logger.>', allow: ['*'] },
  ],
}

let dir: string
const at = (name: string) => join(dir, name)
const fedmsg = (...args: string[]) => runCli(args, { cwd: dir })
const json = async (...args: string[]) => {
  const run = await fedmsg(...args, '--json')
  return { code: run.code, value: JSON.parse(run.stdout) as Record<string, unknown> }
}

function writePolicy(name: string, policy: unknown): string {
  writeFileSync(at(name), JSON.stringify(policy))
  return at(name)
}

beforeAll(() => {
  assertBuilt('policy')
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-policy-cli-'))
  writePolicy('policy.json', POLICY)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('fedmsg policy who-can', () => {
  it('lists each signer with the rules that allow it; exit 0', async () => {
    const run = await fedmsg('policy', 'who-can', BODHI_TOPIC, '--policy', at('policy.json'))
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n')).toEqual([
      'bodhi: rules[0] (org.fedoraproject.*.bodhi.>)',
      'tagger: rules[1] (org.fedoraproject.*.bodhi.update.>)',
    ])
  })

  it('--json gives the signers, the matching rules and what decided', async () => {
    const { code, value } = await json(
      'policy',
      'who-can',
      BODHI_TOPIC,
      '--policy',
      at('policy.json'),
    )
    expect(code).toBe(0)
    expect(value).toEqual({
      topic: BODHI_TOPIC,
      decidedBy: 'rules',
      matching: [0, 1],
      signers: [
        { signer: 'bodhi', rules: [0] },
        { signer: 'tagger', rules: [1] },
      ],
    })
  })

  it('exits 1 when nobody may publish (no rule matches, default deny)', async () => {
    const run = await fedmsg(
      'policy',
      'who-can',
      'org.fedoraproject.prod.koji.build',
      '--policy',
      at('policy.json'),
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('nobody: no rule matches, "default" is "deny"')
  })

  it('reads the configured routing_policy when --policy is absent', async () => {
    mkdirSync(at('fedmsg.d'), { recursive: true })
    writeFileSync(at('fedmsg.d/policy.json'), JSON.stringify({ routing_policy: '../policy.json' }))
    try {
      const run = await fedmsg('policy', 'who-can', 'org.fedoraproject.prod.logger.log')
      expect(run.code).toBe(0)
      expect(run.stdout).toBe('* (any signer): rules[2] (org.fedoraproject.*.logger.>)')
    } finally {
      rmSync(at('fedmsg.d'), { recursive: true })
    }
  })

  it.each([
    [
      'an invalid topic',
      ['who-can', 'org..bodhi', '--policy', 'policy.json'],
      'ERR_FEDMSG_INVALID_TOPIC',
    ],
    ['no policy anywhere', ['who-can', BODHI_TOPIC], 'ERR_FEDMSG_USAGE'],
    [
      'a missing policy file',
      ['who-can', BODHI_TOPIC, '--policy', 'absent.json'],
      'ERR_FEDMSG_CONFIG_NOT_FOUND',
    ],
    ['an invalid policy', ['lint', '--policy', 'bad.json'], 'ERR_FEDMSG_CONFIG_INVALID'],
    ['a "*" as CN', ['can', '*', BODHI_TOPIC, '--policy', 'policy.json'], 'ERR_FEDMSG_USAGE'],
  ])('%s → exit 2 with %s', async (_name, args, code) => {
    writePolicy('bad.json', { rules: [{ topic: 'org.bod*', allow: ['x'] }] })
    const run = await fedmsg('policy', ...args)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`[${code}]`)
  })
})

describe('fedmsg policy can', () => {
  it.each([
    ['bodhi', BODHI_TOPIC, 0, 'yes: rules[0] (org.fedoraproject.*.bodhi.>) allows "bodhi"'],
    [
      'anyone',
      'org.fedoraproject.prod.logger.log',
      0,
      'yes: rules[2] (org.fedoraproject.*.logger.>) allows any signer ("*")',
    ],
    [
      'koji',
      BODHI_TOPIC,
      1,
      'no: rules[0] (org.fedoraproject.*.bodhi.>), rules[1] (org.fedoraproject.*.bodhi.update.>) match, and none lists "koji" or "*"',
    ],
    ['koji', 'org.fedoraproject.prod.koji.build', 1, 'no: no rule matches, "default" is "deny"'],
  ])('%s on %s → exit %i', async (cn, topic, code, line) => {
    const run = await fedmsg('policy', 'can', cn, topic, '--policy', at('policy.json'))
    expect(run.code).toBe(code)
    expect(run.stdout).toBe(line)
  })

  it('--json names the deciding rule', async () => {
    const { code, value } = await json(
      'policy',
      'can',
      'tagger',
      BODHI_TOPIC,
      '--policy',
      at('policy.json'),
    )
    expect(code).toBe(0)
    expect(value).toMatchObject({ allowed: true, decidedBy: 'rule', rule: 1 })
  })
})

describe('fedmsg policy lint', () => {
  it('exits 0 on a clean policy', async () => {
    const run = await fedmsg('policy', 'lint', '--policy', at('policy.json'))
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('ok: 3 rules, no problems')
  })

  it('reports shadowed and never-matching rules; exit 1', async () => {
    const file = writePolicy('messy.json', {
      rules: [
        ...POLICY.rules,
        { topic: 'org.fedoraproject.prod.logger.log', allow: ['logger'] },
        { topic: 'com.example.>', allow: ['bodhi'] },
      ],
    })
    const { code, value } = await json('policy', 'lint', '--policy', file)
    expect(code).toBe(1)
    expect(value.findings).toMatchObject([
      { code: 'shadowed', rule: 3 },
      { code: 'never-matches', rule: 4 },
    ])
  })

  it('--topic-prefix overrides the configured prefix', async () => {
    const file = writePolicy('example.json', { rules: [{ topic: 'com.example.>', allow: ['x'] }] })
    const run = await fedmsg('policy', 'lint', '--policy', file, '--topic-prefix', 'com.example')
    expect(run.code).toBe(0)
  })

  it('with --ca-dir, names allowed CNs no usable issued certificate has', async () => {
    const ca = at('ca')
    for (const args of [
      ['ca', 'init', '--dir', ca, '--alg', 'ed25519'],
      ['ca', 'issue', '--dir', ca, '--service', 'bodhi', '--out', at('certs'), '--alg', 'ed25519'],
      ['ca', 'issue', '--dir', ca, '--service', 'tagger', '--out', at('certs'), '--alg', 'ed25519'],
    ]) {
      expect((await fedmsg(...args)).code).toBe(0)
    }
    const issued = JSON.parse((await fedmsg('ca', 'list', '--dir', ca, '--json')).stdout) as {
      serial: string
      cn: string
    }[]
    const tagger = issued.find(({ cn }) => cn === 'tagger')!.serial
    expect((await fedmsg('ca', 'revoke', '--dir', ca, '--serial', tagger)).code).toBe(0)

    const { code, value } = await json(
      'policy',
      'lint',
      '--policy',
      at('policy.json'),
      '--ca-dir',
      ca,
    )
    expect(code).toBe(1)
    expect(value.findings).toMatchObject([{ code: 'unknown-signer', rule: 1, signer: 'tagger' }])
  })
})

describe('fedmsg policy diff', () => {
  it('exits 0 and says so when the files decide alike', async () => {
    const reordered = writePolicy('reordered.json', {
      ...POLICY,
      rules: [...POLICY.rules].reverse(),
    })
    const run = await fedmsg('policy', 'diff', at('policy.json'), reordered)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('no change: every signer may publish exactly what it could')
  })

  it('lists what a change opens and closes; exit 1', async () => {
    const next = writePolicy('next.json', {
      rules: [
        { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi', 'koji'] },
        { topic: 'org.fedoraproject.*.logger.>', allow: ['*'] },
      ],
    })
    const run = await fedmsg('policy', 'diff', at('policy.json'), next)
    expect(run.code).toBe(1)
    expect(run.stdout.split('\n')).toEqual([
      'opened for koji: org.fedoraproject.*.bodhi.> except org.fedoraproject.*.bodhi.update.> (e.g. org.fedoraproject.x.bodhi.update)',
      'opened for koji: org.fedoraproject.*.bodhi.update.> (e.g. org.fedoraproject.x.bodhi.update.x)',
      'closed for tagger: org.fedoraproject.*.bodhi.update.> (e.g. org.fedoraproject.x.bodhi.update.x)',
    ])
  })

  it.each([
    ['opened', 'a change that only closes', 0],
    ['closed', 'a change that only closes', 1],
    ['any', 'a change that only closes', 1],
  ])('--fail-on %s: %s exits %i', async (failOn, _what, code) => {
    const closing = writePolicy('closing.json', { ...POLICY, rules: POLICY.rules.slice(0, 2) })
    const run = await fedmsg('policy', 'diff', at('policy.json'), closing, '--fail-on', failOn)
    expect(run.code).toBe(code)
    expect(run.stdout).toContain('closed for bodhi, tagger, *: org.fedoraproject.*.logger.>')
  })

  it('refuses an unknown --fail-on with exit 2', async () => {
    const run = await fedmsg(
      'policy',
      'diff',
      at('policy.json'),
      at('policy.json'),
      '--fail-on',
      'some',
    )
    expect(run.code).toBe(2)
  })
})

describe('docs/operations.md, "Auditing the routing policy"', () => {
  it('prints exactly what the example session shows', async () => {
    const doc = readFileSync(join(REPO, 'docs/operations.md'), 'utf8')
    const section = doc.slice(doc.indexOf('### Auditing the routing policy'))
    const body = section.slice(0, section.indexOf('\n### ', 1))
    const blocks = [...body.matchAll(/```(\w+)\n([\s\S]*?)```/g)]
    const jsonBlocks = blocks.filter(([, lang]) => lang === 'json').map(([, , text]) => text!)
    writeFileSync(at('policy.json'), jsonBlocks[0]!)
    writeFileSync(at('next.json'), jsonBlocks[1]!)
    try {
      const session = blocks.find(([, lang]) => lang === 'console')![2]!
      const steps = session.split(/^\$ /m).filter((step) => step !== '')
      expect(steps.length).toBe(5)
      for (const step of steps) {
        const [command, ...expected] = step.trimEnd().split('\n')
        const args = command!.split(' ')
        expect(args[0]).toBe('fedmsg')
        const run = await fedmsg(...args.slice(1))
        expect(run.stdout, command).toBe(expected.join('\n'))
      }
    } finally {
      writePolicy('policy.json', POLICY)
    }
  })
})
