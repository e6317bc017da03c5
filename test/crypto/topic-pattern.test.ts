import { describe, expect, it } from 'vitest'
import {
  assertValidTopic,
  assertValidTopicPattern,
  isValidTopic,
  topicMatcher,
  topicMatches,
} from '../../src/crypto/policy/topic-pattern.js'

const BODHI = 'org.fedoraproject.prod.bodhi.update.request'

describe('topic grammar (docs/protocol.md §1.1)', () => {
  it.each([BODHI, 'a', 'A-b_9.x', 'x'.repeat(255)])('accepts %s', (topic) => {
    expect(isValidTopic(topic)).toBe(true)
    expect(() => assertValidTopic(topic)).not.toThrow()
  })

  it.each([
    '',
    '.a',
    'a.',
    'a..b',
    'a b',
    'a/b',
    'é',
    'a.*',
    'a.>',
    'x'.repeat(256),
    'a\n',
    '\na',
    'a.b\n.c',
    `${'x'.repeat(254)}é`,
  ])('refuses %j with ERR_FEDMSG_INVALID_TOPIC', (topic) => {
    expect(isValidTopic(topic)).toBe(false)
    expect(() => assertValidTopic(topic)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_INVALID_TOPIC', topic }),
    )
  })

  it('refuses a topic that is not a string', () => {
    expect(() => assertValidTopic(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_INVALID_TOPIC' }),
    )
  })
})

describe('topic patterns (docs/protocol.md §1.2)', () => {
  it.each([
    ['org.fedoraproject.*.bodhi.>', BODHI, true],
    ['org.fedoraproject.*.bodhi.>', 'org.fedoraproject.prod.bodhi', false],
    ['org.fedoraproject.*.bodhi.>', 'org.fedoraproject.prod.bodhix.x', false],
    ['org.fedoraproject.*.bodhi.update.request', BODHI, true],
    ['org.*', 'org.fedoraproject', true],
    ['org.*', 'org.fedoraproject.prod', false],
    ['org.>', 'org.fedoraproject.prod', true],
    ['org.>', 'org', false],
    ['>', 'a', true],
    ['*', 'a.b', false],
    ['org.fedoraproject', 'org.fedoraproject', true],
    ['org.fedoraproject', 'org.fedoraprojectx', false],
    ['org.fedoraproject', 'org', false],
    ['*.*', 'a..b', false],
    ['org.>', 'org.a b', false],
    ['>', '', false],
  ])('%s matches %s: %s', (pattern, topic, expected) => {
    expect(topicMatches(pattern, topic)).toBe(expected)
    expect(topicMatcher(pattern)(topic)).toBe(expected)
  })

  it.each(['a.*', 'a.>', '*', '>', 'a.*.>', BODHI])('accepts the pattern %s', (pattern) => {
    expect(() => assertValidTopicPattern(pattern)).not.toThrow()
  })

  it('refuses a pattern that is not a string', () => {
    expect(() => assertValidTopicPattern(undefined as unknown as string)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_INVALID_TOPIC' }),
    )
  })

  it.each(['', 'a.>.b', '>.a', 'bod*', 'a.b>', 'a..b', 'x'.repeat(256)])(
    'refuses the pattern %j',
    (pattern) => {
      expect(() => assertValidTopicPattern(pattern)).toThrow(
        expect.objectContaining({ code: 'ERR_FEDMSG_INVALID_TOPIC' }),
      )
    },
  )
})
