import { describe, expect, it } from 'vitest'
import {
  formatKeyPath,
  lookupConfigValue,
  pointerSegments,
} from '../../src/config/config-key-path.js'

const config = {
  max_age_seconds: 300,
  endpoints: { bodhi: ['tcp://127.0.0.1:3001'], '0': ['inproc://zero'] },
  schemas: { 'org.fedoraproject.bodhi.>': '/s/bodhi.json', org: '/s/org.json' },
  consumers: [{ module: '/c.js' }],
}

describe('formatKeyPath', () => {
  it.each([
    [['max_age_seconds'], 'max_age_seconds'],
    [['endpoints', 'bodhi', 0], 'endpoints.bodhi[0]'],
    [['consumers', 0, 'module'], 'consumers[0].module'],
    [['schemas', 'org.fedoraproject.>'], 'schemas["org.fedoraproject.>"]'],
    [[], ''],
  ] as const)('%j → %s', (segments, expected) => {
    expect(formatKeyPath(segments)).toBe(expected)
  })
})

describe('pointerSegments', () => {
  it('array indexes become numbers, numeric map keys stay keys, ~1 and ~0 are unescaped', () => {
    expect(pointerSegments(config, '/consumers/0/module')).toEqual(['consumers', 0, 'module'])
    expect(pointerSegments(config, '/endpoints/0')).toEqual(['endpoints', '0'])
    expect(pointerSegments({}, '/a~1b/c~0d')).toEqual(['a/b', 'c~d'])
  })
})

describe('lookupConfigValue', () => {
  it.each([
    ['max_age_seconds', 300],
    ['endpoints.bodhi', ['tcp://127.0.0.1:3001']],
    ['endpoints.bodhi[0]', 'tcp://127.0.0.1:3001'],
    ['endpoints.bodhi.0', 'tcp://127.0.0.1:3001'],
    ['endpoints.0', ['inproc://zero']],
    ['consumers[0].module', '/c.js'],
    ['schemas.org.fedoraproject.bodhi.>', '/s/bodhi.json'],
    ['schemas["org.fedoraproject.bodhi.>"]', '/s/bodhi.json'],
    ['schemas.org', '/s/org.json'],
  ])('%s is found', (key, value) => {
    expect(lookupConfigValue(config, key)).toEqual({ found: true, value })
  })

  it.each(['nope', 'endpoints.koji', 'endpoints.bodhi[1]', 'max_age_seconds.x', 'consumers.x'])(
    '%s is absent',
    (key) => {
      expect(lookupConfigValue(config, key)).toEqual({ found: false })
    },
  )
})
