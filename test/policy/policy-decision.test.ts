import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import { explainDecision, publishersOf } from '../../src/policy/policy-decision.js'
import { policy as anyPolicy, PROPERTY_PARAMETERS, signer, topic } from './policy-arbitraries.js'

const BODHI = 'org.fedoraproject.prod.bodhi.update.request'

const policy = RoutingPolicy.fromJson({
  default: 'deny',
  rules: [
    { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] },
    { topic: 'org.fedoraproject.*.bodhi.update.>', allow: ['tagger', 'bodhi'] },
    { topic: 'org.fedoraproject.*.logger.>', allow: ['*'] },
    { topic: 'org.fedoraproject.*.closed.>', allow: [] },
  ],
})

describe('explainDecision', () => {
  it.each([
    ['the first rule listing the signer decides', BODHI, 'bodhi', { type: 'rule', index: 0 }],
    ['a later rule listing the signer decides', BODHI, 'tagger', { type: 'rule', index: 1 }],
    [
      '"*" decides for any signer',
      'org.fedoraproject.prod.logger.log',
      'x',
      { type: 'rule', index: 2 },
    ],
    ['matching rules that do not list it', BODHI, 'koji', { type: 'unlisted', index: [0, 1] }],
    ['no rule: the default', 'org.fedoraproject.prod.koji.build', 'koji', { type: 'default' }],
  ] as const)(
    '%s',
    (_name, t, s, expected: { type: string; index?: number | readonly number[] }) => {
      const decision = explainDecision(policy, t, s)
      expect(decision.type).toBe(expected.type)
      expect(decision.allowed).toBe(policy.isAllowed(t, s))
      if (decision.type === 'rule') expect(decision.rule.index).toBe(expected.index)
      if (decision.type === 'unlisted') {
        expect(decision.matching.map(({ index }) => index)).toEqual(expected.index)
      }
    },
  )

  it('agrees with RoutingPolicy.isAllowed on random policies, topics and signers', () => {
    fc.assert(
      fc.property(anyPolicy, topic, signer, (p, t, s) => {
        expect(explainDecision(p, t, s).allowed).toBe(p.isAllowed(t, s))
      }),
      PROPERTY_PARAMETERS,
    )
  })
})

describe('publishersOf', () => {
  it('lists each signer with every matching rule that lists it', () => {
    expect(publishersOf(policy, BODHI)).toMatchObject({
      type: 'rules',
      signers: [
        { signer: 'bodhi', rules: [0, 1] },
        { signer: 'tagger', rules: [1] },
      ],
    })
  })

  it('says "*" when a matching rule allows any signer', () => {
    expect(publishersOf(policy, 'org.fedoraproject.prod.logger.log')).toMatchObject({
      signers: [{ signer: '*', rules: [2] }],
    })
  })

  it('lists nobody when the matching rules allow no one', () => {
    expect(publishersOf(policy, 'org.fedoraproject.prod.closed.x')).toMatchObject({
      type: 'rules',
      signers: [],
    })
  })

  it.each([
    ['deny', false],
    ['allow', true],
  ] as const)('leaves topics no rule matches to "default": "%s"', (fallback, anySigner) => {
    const open = RoutingPolicy.fromJson({ default: fallback, rules: [] })
    expect(publishersOf(open, BODHI)).toEqual({ type: 'default', anySigner })
  })

  it('names exactly the signers isAllowed lets publish', () => {
    fc.assert(
      fc.property(anyPolicy, topic, signer, (p, t, s) => {
        const who = publishersOf(p, t)
        const listed =
          who.type === 'default'
            ? who.anySigner
            : who.signers.some(({ signer: name }) => name === s || name === '*')
        expect(listed).toBe(p.isAllowed(t, s))
      }),
      PROPERTY_PARAMETERS,
    )
  })
})
