import { describe, expect, it } from 'vitest'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'

const BODHI = 'org.fedoraproject.prod.bodhi.update.request'
const LOGGER = 'org.fedoraproject.prod.logger.log'

const policy = RoutingPolicy.fromJson({
  default: 'deny',
  rules: [
    { topic: 'org.fedoraproject.*.bodhi.>', allow: ['bodhi'] },
    { topic: 'org.fedoraproject.*.bodhi.update.>', allow: ['tagger'] },
    { topic: 'org.fedoraproject.*.logger.>', allow: ['*'] },
  ],
})

describe('RoutingPolicy (docs/protocol.md §6)', () => {
  it.each([
    ['bodhi on its own topic', BODHI, 'bodhi', true],
    ['a second matching rule adds a signer', BODHI, 'tagger', true],
    ['a signer no matching rule lists', BODHI, 'koji', false],
    ['"*" allows any signer', LOGGER, 'anyone', true],
    ['no rule matches: default deny', 'org.fedoraproject.prod.koji.build', 'koji', false],
    ['a pattern never matches part of a token', 'org.fedoraproject.prod.bodhix.a', 'bodhi', false],
  ])('%s', (_name, topic, signer, allowed) => {
    expect(policy.isAllowed(topic, signer)).toBe(allowed)
  })

  it('lets "default": "allow" decide topics no rule matches', () => {
    const open = RoutingPolicy.fromJson({
      default: 'allow',
      rules: [{ topic: 'a.>', allow: ['x'] }],
    })
    expect(open.isAllowed('b.c', 'y')).toBe(true)
    expect(open.isAllowed('a.c', 'y')).toBe(false)
  })

  it('denies by default when "default" is omitted', () => {
    expect(RoutingPolicy.fromJson({ rules: [] }).isAllowed('a', 'x')).toBe(false)
    expect(RoutingPolicy.fromJson({}).isAllowed('a', 'x')).toBe(false)
  })

  it('"allow": [] is valid and denies its topics whatever default says', () => {
    const policy = RoutingPolicy.fromJson({
      default: 'allow',
      rules: [{ topic: 'a.>', allow: [] }],
    })
    expect(policy.isAllowed('a.b', 'bodhi')).toBe(false)
    expect(policy.isAllowed('c.d', 'bodhi')).toBe(true)
  })

  it('allowAll() allows any signer on any topic', () => {
    expect(RoutingPolicy.allowAll().isAllowed(BODHI, 'koji')).toBe(true)
  })

  it.each([
    ['not an object', []],
    ['null', null],
    ['an unknown member', { default: 'deny', rulez: [] }],
    ['a bad default', { default: 'maybe' }],
    ['rules not an array', { rules: {} }],
    ['a rule not an object', { rules: ['a.>'] }],
    ['a rule with an unknown member', { rules: [{ topic: 'a', allow: [], deny: [] }] }],
    ['a rule without topic', { rules: [{ allow: ['x'] }] }],
    ['a rule with a bad pattern', { rules: [{ topic: 'a.b*', allow: ['x'] }] }],
    ['allow not an array', { rules: [{ topic: 'a', allow: 'x' }] }],
    ['allow with an empty name', { rules: [{ topic: 'a', allow: [''] }] }],
    ['a "__proto__" member', JSON.parse('{"__proto__":{"default":"allow"}}')],
    ['default true', { default: true }],
    ['default "Allow"', { default: 'Allow' }],
    ['default null', { default: null }],
    ['a rule without allow', { rules: [{ topic: 'a' }] }],
    ['allow null', { rules: [{ topic: 'a', allow: null }] }],
    ['allow holding a number', { rules: [{ topic: 'a', allow: ['x', 1] }] }],
    ['a pattern with ">" not last', { rules: [{ topic: 'a.>.b', allow: ['x'] }] }],
    ['a pattern with an empty token', { rules: [{ topic: 'a..b', allow: ['x'] }] }],
    ['a pattern over 255 bytes', { rules: [{ topic: `a.${'b'.repeat(254)}`, allow: ['x'] }] }],
  ])('refuses %s with ERR_FEDMSG_CONFIG_INVALID', (_name, json) => {
    expect(() => RoutingPolicy.fromJson(json)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CONFIG_INVALID' }),
    )
  })
})
