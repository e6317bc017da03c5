import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import { topicMatches } from '../../src/crypto/policy/topic-pattern.js'
import { diffPolicies, type RegionChange } from '../../src/policy/policy-diff.js'
import { topicRegions } from '../../src/policy/topic-regions.js'
import { pattern, policy, PROPERTY_PARAMETERS, signer, topic } from './policy-arbitraries.js'

const base = {
  default: 'deny',
  rules: [
    { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] },
    { topic: 'org.fedoraproject.*.koji.>', allow: ['koji'] },
  ],
}

const of = (json: unknown) => RoutingPolicy.fromJson(json)

describe('diffPolicies', () => {
  it('finds nothing between a policy and a reordered, reworded copy', () => {
    const reworded = of({
      rules: [
        { topic: 'org.fedoraproject.*.koji.>', allow: ['koji'] },
        { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] },
        { topic: 'org.fedoraproject.prod.bodhi.update.>', allow: ['bodhi'] },
      ],
    })
    expect(diffPolicies(of(base), reworded)).toEqual([])
  })

  it('reports a signer added to a rule as opened on that rule’s topics', () => {
    const after = of({
      ...base,
      rules: [base.rules[0], { topic: 'org.fedoraproject.*.koji.>', allow: ['koji', 'bodhi'] }],
    })
    expect(diffPolicies(of(base), after)).toEqual([
      expect.objectContaining({
        pattern: 'org.fedoraproject.*.koji.>',
        except: [],
        opened: ['bodhi'],
        closed: [],
      }),
    ])
  })

  it('reports a rule removed as closed for its signers', () => {
    const after = of({ ...base, rules: [base.rules[0]] })
    expect(diffPolicies(of(base), after)).toEqual([
      expect.objectContaining({
        pattern: 'org.fedoraproject.*.koji.>',
        opened: [],
        closed: ['koji'],
      }),
    ])
  })

  it('finds nothing when an empty rule is carved out of a wider one: rules add up', () => {
    const after = of({
      ...base,
      rules: [...base.rules, { topic: 'org.fedoraproject.prod.bodhi.secret.>', allow: [] }],
    })
    expect(diffPolicies(of(base), after)).toEqual([])
  })

  it('reports "default" turning to allow as opened for every signer on unmatched topics', () => {
    const changes = diffPolicies(of(base), of({ ...base, default: 'allow' }))
    expect(changes).toEqual([
      {
        pattern: null,
        except: [],
        example: expect.any(String),
        opened: ['bodhi', 'koji', '*'],
        closed: [],
      },
    ])
  })

  it('describes a region by its pattern minus the patterns carved out of it', () => {
    const after = of({
      default: 'deny',
      rules: [
        { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi', 'tagger'] },
        { topic: 'org.fedoraproject.prod.bodhi.>', allow: ['bodhi'] },
      ],
    })
    const before = of({ default: 'deny', rules: [after.rules[1]] })
    const changes = diffPolicies(before, after)
    expect(changes).toContainEqual(
      expect.objectContaining({
        pattern: 'org.fedoraproject.*.bodhi.>',
        except: ['org.fedoraproject.prod.bodhi.>'],
        opened: ['bodhi', 'tagger'],
      }),
    )
    expect(changes).toContainEqual(
      expect.objectContaining({ pattern: 'org.fedoraproject.prod.bodhi.>', opened: ['tagger'] }),
    )
  })

  it('is exact: a signer/topic pair changes iff a region holding the topic lists its signer', () => {
    const named = (a: RoutingPolicy, b: RoutingPolicy) =>
      new Set([...a.rules, ...b.rules].flatMap((rule) => rule.allow))
    const listed = (change: RegionChange, s: string, names: Set<string>) =>
      change.opened.concat(change.closed).includes(names.has(s) ? s : '*')
    const inRegion = (change: RegionChange, t: string, all: readonly string[]) =>
      change.pattern === null
        ? all.every((p) => !topicMatches(p, t))
        : topicMatches(change.pattern, t) && change.except.every((p) => !topicMatches(p, t))
    fc.assert(
      fc.property(policy, policy, topic, signer, (before, after, t, s) => {
        const all = [...before.rules, ...after.rules].map((rule) => rule.topic)
        const changes = diffPolicies(before, after).filter((change) => inRegion(change, t, all))
        expect(changes.length).toBeLessThanOrEqual(1)
        const names = named(before, after)
        const signerClass = names.has(s) ? s : '*'
        const opened = changes.some((c) => listed(c, s, names) && c.opened.includes(signerClass))
        const closed = changes.some((c) => listed(c, s, names) && c.closed.includes(signerClass))
        expect(opened).toBe(!before.isAllowed(t, s) && after.isAllowed(t, s))
        expect(closed).toBe(before.isAllowed(t, s) && !after.isAllowed(t, s))
      }),
      PROPERTY_PARAMETERS,
    )
  })
})

describe('topicRegions', () => {
  it('gives every topic the region of exactly the patterns that match it', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 5 }), topic, (patterns, t) => {
        const matched = [...new Set(patterns.filter((p) => topicMatches(p, t)))].sort()
        const regions = topicRegions(patterns)
        const region = regions.find(({ patterns: ps }) => [...ps].sort().join() === matched.join())
        expect(region).toBeDefined()
        expect(
          [...new Set(patterns)].filter((p) => topicMatches(p, region!.example)).sort(),
        ).toEqual(matched)
      }),
      PROPERTY_PARAMETERS,
    )
  })
})
