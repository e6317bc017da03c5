import { describe, expect, it } from 'vitest'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import { LINT_CODES, lintPolicy, type LintOptions } from '../../src/policy/policy-lint.js'

type Rule = { topic: string; allow: string[] }

const cases: {
  name: string
  rules: Rule[]
  default?: 'allow' | 'deny'
  options?: LintOptions
  expected: { code: string; rule: number; signer?: string }[]
}[] = [
  {
    name: 'a rule covered by an earlier wider one is shadowed',
    rules: [
      { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi', 'tagger'] },
      { topic: 'org.fedoraproject.prod.bodhi.update.>', allow: ['bodhi'] },
    ],
    expected: [{ code: 'shadowed', rule: 1 }],
  },
  {
    name: 'an earlier rule covered by a later one is shadowed too',
    rules: [
      { topic: 'org.fedoraproject.prod.bodhi.>', allow: ['bodhi'] },
      { topic: 'org.fedoraproject.*.bodhi.>', allow: ['*'] },
    ],
    expected: [{ code: 'shadowed', rule: 0 }],
  },
  {
    name: 'of two identical rules only the later one is reported',
    rules: [
      { topic: 'org.fedoraproject.*.koji.>', allow: ['koji'] },
      { topic: 'org.fedoraproject.*.koji.>', allow: ['koji'] },
    ],
    expected: [{ code: 'shadowed', rule: 1 }],
  },
  {
    name: 'a narrower rule that adds a signer is not shadowed',
    rules: [
      { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] },
      { topic: 'org.fedoraproject.*.bodhi.update.>', allow: ['tagger'] },
    ],
    expected: [],
  },
  {
    name: 'a rule outside the topic prefix never matches',
    rules: [
      { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] },
      { topic: 'org.fedora.*.bodhi.>', allow: ['bodhi'] },
    ],
    options: { topicPrefix: 'org.fedoraproject' },
    expected: [{ code: 'never-matches', rule: 1 }],
  },
  {
    name: 'a wildcard rule reaching into the prefix matches',
    rules: [{ topic: '*.fedoraproject.>', allow: ['bodhi'] }],
    options: { topicPrefix: 'org.fedoraproject' },
    expected: [],
  },
  {
    name: 'the bare prefix never matches (hubs subscribe to "<prefix>.")',
    rules: [{ topic: 'org.fedoraproject', allow: ['bodhi'] }],
    options: { topicPrefix: 'org.fedoraproject' },
    expected: [{ code: 'never-matches', rule: 0 }],
  },
  {
    name: 'an empty allow list under default deny changes nothing',
    rules: [{ topic: 'org.fedoraproject.*.koji.>', allow: [] }],
    expected: [{ code: 'allows-nobody', rule: 0 }],
  },
  {
    name: 'an empty allow list under default allow closes its topics',
    default: 'allow',
    rules: [{ topic: 'org.fedoraproject.*.koji.>', allow: [] }],
    expected: [],
  },
  {
    name: 'allow lists are checked against the CNs the CA issued',
    rules: [{ topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi', 'bodhl', 'old', '*'] }],
    options: {
      issued: [
        { cn: 'bodhi', usable: true },
        { cn: 'old', usable: false },
      ],
    },
    expected: [
      { code: 'unknown-signer', rule: 0, signer: 'bodhl' },
      { code: 'unknown-signer', rule: 0, signer: 'old' },
    ],
  },
  {
    name: 'a CN with one usable certificate among revoked ones is known',
    rules: [{ topic: 'a.>', allow: ['bodhi'] }],
    options: {
      issued: [
        { cn: 'bodhi', usable: false },
        { cn: 'bodhi', usable: true },
      ],
    },
    expected: [],
  },
]

describe('lintPolicy', () => {
  it.each(cases)('$name', ({ rules, options, expected, ...rest }) => {
    const policy = RoutingPolicy.fromJson({ default: rest.default ?? 'deny', rules })
    const findings = lintPolicy(policy, options)
    expect(findings.map(({ code, rule, signer }) => ({ code, rule, signer }))).toEqual(
      expected.map((finding) => ({ signer: undefined, ...finding })),
    )
    for (const finding of findings) expect(finding.message).not.toBe('')
  })

  it('has a case for every code', () => {
    const covered = new Set(cases.flatMap(({ expected }) => expected.map(({ code }) => code)))
    expect([...covered].sort()).toEqual([...LINT_CODES].sort())
  })

  it('finds nothing in the demo policy', async () => {
    const { readFileSync } = await import('node:fs')
    const json: unknown = JSON.parse(readFileSync('examples/demo-policy.json', 'utf8'))
    expect(lintPolicy(RoutingPolicy.fromJson(json), { topicPrefix: 'org.fedoraproject' })).toEqual(
      [],
    )
  })
})
