import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BUNDLED_DEV_CA_DIR, DEV_SERVICES } from '../../src/config/bundled-dev-ca.js'
import { devDefaults } from '../../src/config/dev-defaults.js'
import { loadConfig } from '../../src/config/load-config.js'
import { makeConfigTree, type ConfigTree } from './config-tree.js'

let tree: ConfigTree
beforeEach(() => {
  tree = makeConfigTree()
})
afterEach(() => tree.remove())

describe('devDefaults()', () => {
  it('points at the bundled dev CA: root as trust anchor, its CRLs, one cert and key per service', () => {
    const config = devDefaults()
    expect(config.environment).toBe('dev')
    expect(config.trust).toEqual([`${BUNDLED_DEV_CA_DIR}/root-ca.crt`])
    expect(config.crl).toEqual([`${BUNDLED_DEV_CA_DIR}/crl.pem`])
    expect(Object.keys(config.certs).sort()).toEqual([...DEV_SERVICES].sort())
    expect(config.certs['demo-forger']).toEqual({
      cert: `${BUNDLED_DEV_CA_DIR}/services/demo-forger.crt`,
      key: `${BUNDLED_DEV_CA_DIR}/services/demo-forger.key`,
    })
  })

  it('binds every endpoint and the relay on 127.0.0.1, each on its own port', () => {
    const config = devDefaults()
    const addresses = [
      ...Object.values(config.endpoints).flat(),
      config.relay_inbound!,
      config.relay_outbound!,
    ]
    for (const address of addresses) expect(address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/)
    expect(new Set(addresses).size).toBe(addresses.length)
    // Ports of the original Python fedmsg proposal.
    expect(config.endpoints.bodhi).toEqual(['tcp://127.0.0.1:3001'])
    expect(config.relay_inbound).toBe('tcp://127.0.0.1:2003')
    expect(config.relay_outbound).toBe('tcp://127.0.0.1:4001')
  })

  it('every publishing service has an endpoint; the logger (via the relay) and the hub have none', () => {
    const config = devDefaults()
    expect(Object.keys(config.endpoints).sort()).toEqual(
      DEV_SERVICES.filter((s) => !['logger', 'relay', 'hub'].includes(s)).sort(),
    )
  })

  it('takes another dev CA dir', () => {
    expect(devDefaults('/tmp/devca').trust).toEqual(['/tmp/devca/root-ca.crt'])
  })

  it('is a valid base for loadConfig: files override it per entry, with source "default"', () => {
    tree.write('fedmsg.d/10.json', { endpoints: { bodhi: ['ipc:///run/bodhi.sock'] } })
    const { config, sources } = loadConfig({
      cwd: tree.root,
      env: {},
      searchDirs: ['fedmsg.d'],
      defaults: devDefaults(),
    })
    expect(config.endpoints.bodhi).toEqual(['ipc:///run/bodhi.sock'])
    expect(config.endpoints.koji).toEqual(['tcp://127.0.0.1:3004'])
    expect(sources['endpoints.koji']).toBe('default')
    expect(sources.trust).toBe('default')
  })

  it('switched to prod, it is refused: its certs lie inside the bundled dev CA', () => {
    expect(() =>
      loadConfig({
        env: {},
        searchDirs: [],
        defaults: devDefaults(),
        overrides: { environment: 'prod' },
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_FEDMSG_DEV_CA_IN_PROD' }))
  })
})

describe('devDefaultsWhenUnconfigured: the one rule the CLI uses (issue 11.7, issue 19.1)', () => {
  const load = (options: Parameters<typeof loadConfig>[0] = {}) =>
    loadConfig({
      cwd: tree.root,
      env: {},
      searchDirs: ['fedmsg.d'],
      devDefaultsWhenUnconfigured: true,
      ...options,
    })

  it('nothing named, no file found: the dev defaults, with source "dev-defaults"', () => {
    const { config, sources, usingDevDefaults } = load()
    expect(usingDevDefaults).toBe(true)
    expect(config).toEqual(devDefaults())
    expect(sources.trust).toBe('dev-defaults')
  })

  it('command-line overrides go on top of them', () => {
    const loaded = load({ overrides: { metrics_address: '127.0.0.1:9464' } })
    expect([loaded.usingDevDefaults, loaded.config.metrics_address]).toEqual([
      true,
      '127.0.0.1:9464',
    ])
  })

  it('one file found: no dev default at all, not even for keys the file leaves out', () => {
    tree.write('fedmsg.d/10-consumers.json', { consumers: [{ module: 'c.mjs' }] })
    const { config, sources, usingDevDefaults } = load()
    expect(usingDevDefaults).toBe(false)
    expect([config.trust, config.certs, sources.trust]).toEqual([[], {}, 'default'])
  })

  it('a named directory without config files: an error, never the dev defaults', () => {
    tree.write('named/README', 'nothing')
    expect(() => load({ configPath: 'named' })).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CONFIG_NOT_FOUND' }),
    )
  })

  // Security review: an /etc/fedmsg.d whose files were not deployed, or deployed under other names, put a
  // production host on the dev CA, whose private keys are public, with only a warning in the log.
  it('a search directory that exists without config files: an error naming it, never the dev defaults', () => {
    tree.write('fedmsg.d/10-bus.json.rpmnew', { environment: 'prod' })
    expect(() => load()).toThrow(
      expect.objectContaining({
        code: 'ERR_FEDMSG_CONFIG_NOT_FOUND',
        message: expect.stringContaining('10-bus.json.rpmnew (not named *.json)'),
      }),
    )
    expect(load({ devDefaultsWhenUnconfigured: false }).usingDevDefaults).toBe(false)
  })

  it('without the option, loadConfig keeps DEFAULT_CONFIG when no file is found', () => {
    expect(load({ devDefaultsWhenUnconfigured: false }).usingDevDefaults).toBe(false)
  })
})
