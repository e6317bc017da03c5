import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../src/config/config-types.js'
import { standardSearchDirs } from '../../src/config/find-config-files.js'
import { loadConfig } from '../../src/config/load-config.js'
import { makeConfigTree, type ConfigTree } from './config-tree.js'

let tree: ConfigTree
beforeEach(() => {
  tree = makeConfigTree()
})
afterEach(() => tree.remove())

/** Loads with only the tree's directories: no /etc, no HOME, no $FEDMSG_CONFIG. */
function load(dirs: string[], options: Parameters<typeof loadConfig>[0] = {}) {
  return loadConfig({
    cwd: tree.root,
    env: {},
    searchDirs: dirs.map((d) => tree.path(d)),
    ...options,
  })
}

describe('search order and precedence', () => {
  it('with no files, the config is DEFAULT_CONFIG and every source is "default"', () => {
    const { config, sources } = load(['etc', 'home', 'cwd'])
    expect(config).toEqual(DEFAULT_CONFIG)
    expect(Object.keys(sources).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort())
    expect(new Set(Object.values(sources))).toEqual(new Set(['default']))
  })

  it('a later search directory wins over an earlier one', () => {
    tree.write('etc/10.json', { max_age_seconds: 100, linger_ms: 1 })
    const home = tree.write('home/10.json', { max_age_seconds: 200 })
    const { config, sources } = load(['etc', 'home', 'missing-dir'])
    expect(config.max_age_seconds).toBe(200)
    expect(config.linger_ms).toBe(1)
    expect(sources.max_age_seconds).toBe(home)
    expect(sources.linger_ms).toBe(tree.path('etc/10.json'))
  })

  it('files of one directory merge in lexical order, whatever order they were written in', () => {
    tree.write('d/b.json', { log_level: 'warn' })
    tree.write('d/20-local.json', { log_level: 'debug' })
    tree.write('d/10-bus.json', { log_level: 'error' })
    tree.write('d/B.json', { log_level: 'trace' })
    // Code point order: "10-bus" < "20-local" < "B" < "b".
    expect(load(['d']).config.log_level).toBe('warn')
    expect(load(['d']).sources.log_level).toBe(tree.path('d/b.json'))
  })

  it('only *.json files count: YAML, hidden files and subdirectories are ignored', () => {
    tree.write('d/10.json', { log_level: 'warn' })
    tree.write('d/20.yaml', 'log_level: debug\n')
    tree.write('d/.30.json', { log_level: 'error' })
    tree.write('d/40/inner.json', { log_level: 'trace' })
    expect(load(['d']).config.log_level).toBe('warn')
  })

  it('$FEDMSG_CONFIG (a file) overrides the search directories', () => {
    tree.write('d/10.json', { max_age_seconds: 100 })
    const envFile = tree.write('env.json', { max_age_seconds: 200 })
    const { config, sources } = load(['d'], { env: { FEDMSG_CONFIG: envFile } })
    expect(config.max_age_seconds).toBe(200)
    expect(sources.max_age_seconds).toBe(envFile)
  })

  it('$FEDMSG_CONFIG (a directory, relative to cwd) is read in lexical order', () => {
    tree.write('envdir/2.json', { max_age_seconds: 300 })
    tree.write('envdir/1.json', { max_age_seconds: 200, linger_ms: 7 })
    const { config } = load([], { env: { FEDMSG_CONFIG: 'envdir' } })
    expect([config.max_age_seconds, config.linger_ms]).toEqual([300, 7])
  })

  it('--config overrides $FEDMSG_CONFIG, which overrides the search directories', () => {
    tree.write('d/10.json', { max_age_seconds: 100, linger_ms: 1, log_level: 'warn' })
    tree.write('env.json', { max_age_seconds: 200, linger_ms: 2 })
    const flagFile = tree.write('flag/only.json', { max_age_seconds: 300 })
    const { config, sources } = load(['d'], {
      env: { FEDMSG_CONFIG: tree.path('env.json') },
      configPath: tree.path('flag'),
    })
    expect([config.max_age_seconds, config.linger_ms, config.log_level]).toEqual([300, 2, 'warn'])
    expect(sources.max_age_seconds).toBe(flagFile)
  })

  it('options.overrides win over every file, with source "options"', () => {
    tree.write('d/10.json', { max_age_seconds: 100 })
    const { config, sources } = load(['d'], {
      overrides: { max_age_seconds: 999 },
      configPath: tree.path('d/10.json'),
    })
    expect(config.max_age_seconds).toBe(999)
    expect(sources.max_age_seconds).toBe('options')
  })

  it('--config naming a missing path is ERR_FEDMSG_CONFIG_NOT_FOUND', () => {
    expect(() => load([], { configPath: 'nope.json' })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CONFIG_NOT_FOUND' }),
    )
    expect(() => load([], { env: { FEDMSG_CONFIG: 'nope' } })).toThrow(/\$FEDMSG_CONFIG names nope/)
  })

  it('a search path that is a file, not a directory, is ERR_FEDMSG_CONFIG_INVALID', () => {
    tree.write('d', 'not a dir')
    expect(() => load(['d'])).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CONFIG_INVALID' }),
    )
  })

  it('the standard search list is /etc, then $HOME/.config, then ./fedmsg.d', () => {
    expect(standardSearchDirs('/srv/app', { HOME: '/home/u' })).toEqual([
      '/etc/fedmsg.d',
      '/home/u/.config/fedmsg.d',
      '/srv/app/fedmsg.d',
    ])
    expect(standardSearchDirs('/srv/app', {})).toEqual(['/etc/fedmsg.d', '/srv/app/fedmsg.d'])
  })

  it('without searchDirs, $HOME/.config/fedmsg.d and ./fedmsg.d are read, ./fedmsg.d last', () => {
    tree.write('home/.config/fedmsg.d/10.json', { max_age_seconds: 100, linger_ms: 3 })
    tree.write('work/fedmsg.d/10.json', { max_age_seconds: 200 })
    const { config } = loadConfig({ cwd: tree.path('work'), env: { HOME: tree.path('home') } })
    expect([config.max_age_seconds, config.linger_ms]).toEqual([200, 3])
  })
})

describe('merge rules', () => {
  it('top-level keys are replaced whole: arrays are not concatenated', () => {
    tree.write('d/10.json', { trust: ['/a.pem', '/b.pem'] })
    tree.write('d/20.json', { trust: ['/c.pem'] })
    expect(load(['d']).config.trust).toEqual(['/c.pem'])
  })

  it('endpoints, certs and schemas merge per entry, and an entry is replaced whole', () => {
    tree.write('d/10.json', {
      endpoints: { bodhi: ['tcp://127.0.0.1:3001'], koji: ['tcp://127.0.0.1:3004'] },
      certs: { bodhi: { cert: '/old.crt', key: '/old.key', passphrase_file: '/old.pass' } },
      schemas: { 'org.fedoraproject.bodhi.>': '/bodhi.json' },
    })
    const later = tree.write('d/20.json', {
      endpoints: { koji: ['ipc:///run/koji.sock'] },
      certs: {
        bodhi: { cert: '/new.crt', key: '/new.key' },
        koji: { cert: '/k.crt', key: '/k.key' },
      },
      schemas: { 'org.fedoraproject.koji.*': '/koji.json' },
    })
    const { config, sources } = load(['d'])
    expect(config.endpoints).toEqual({
      bodhi: ['tcp://127.0.0.1:3001'],
      koji: ['ipc:///run/koji.sock'],
    })
    expect(config.certs.bodhi).toEqual({ cert: '/new.crt', key: '/new.key' })
    expect(Object.keys(config.schemas)).toEqual([
      'org.fedoraproject.bodhi.>',
      'org.fedoraproject.koji.*',
    ])
    expect(sources.endpoints).toBe(later)
    expect(sources['endpoints.bodhi']).toBe(tree.path('d/10.json'))
    expect(sources['endpoints.koji']).toBe(later)
    expect(sources['schemas["org.fedoraproject.bodhi.>"]']).toBe(tree.path('d/10.json'))
  })

  it('the result is deeply frozen and does not share arrays with DEFAULT_CONFIG or the options', () => {
    const trust = ['/a.pem']
    const { config } = load([], { overrides: { trust } })
    expect(Object.isFrozen(config.trust)).toBe(true)
    expect(Object.isFrozen(trust)).toBe(false)
    expect(Object.isFrozen(config.endpoints)).toBe(true)
  })
})

describe('paths are resolved against the directory of the file that names them', () => {
  it('every path key becomes absolute', () => {
    tree.write('etc/fedmsg.d/10.json', {
      trust: ['pki/root.crt', '/abs/root2.crt'],
      crl: ['../crl.pem'],
      certs: {
        bodhi: { cert: 'pki/bodhi.crt', key: 'pki/bodhi.key', passphrase_file: 'pki/pass' },
      },
      routing_policy: 'policy.json',
      schemas: { 'org.fedoraproject.bodhi.>': 'schemas/bodhi.json' },
      consumers: [{ module: './consumers/irc.js', topic: 'org.fedoraproject.>' }],
    })
    const { config } = load(['etc/fedmsg.d'])
    const d = tree.path('etc/fedmsg.d')
    expect(config.trust).toEqual([`${d}/pki/root.crt`, '/abs/root2.crt'])
    expect(config.crl).toEqual([tree.path('etc/crl.pem')])
    expect(config.certs.bodhi).toEqual({
      cert: `${d}/pki/bodhi.crt`,
      key: `${d}/pki/bodhi.key`,
      passphrase_file: `${d}/pki/pass`,
    })
    expect(config.routing_policy).toBe(`${d}/policy.json`)
    expect(config.schemas['org.fedoraproject.bodhi.>']).toBe(`${d}/schemas/bodhi.json`)
    expect(config.consumers).toEqual([
      { module: `${d}/consumers/irc.js`, topic: 'org.fedoraproject.>' },
    ])
  })

  it('each file resolves against its own directory, even when merged into one map', () => {
    tree.write('a/10.json', { certs: { bodhi: { cert: 'b.crt', key: 'b.key' } } })
    tree.write('b/10.json', { certs: { koji: { cert: 'k.crt', key: 'k.key' } } })
    const { config } = load(['a', 'b'])
    expect(config.certs.bodhi!.cert).toBe(tree.path('a/b.crt'))
    expect(config.certs.koji!.cert).toBe(tree.path('b/k.crt'))
  })

  it('relative paths in options resolve against cwd', () => {
    const { config } = load([], { overrides: { trust: ['pki/root.crt'] } })
    expect(config.trust).toEqual([tree.path('pki/root.crt')])
  })
})
