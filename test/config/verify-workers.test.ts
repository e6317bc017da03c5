/**
 * verify_workers: the worker threads a hub verifies on. An integer >= 0 or "auto" (one per core, at most 8,
 * none on a single core), which the hub resolves.
 */
import { availableParallelism } from 'node:os'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../src/config/config-types.js'
import { loadConfig } from '../../src/config/load-config.js'
import { defaultVerifyWorkers } from '../../src/verification/pool/verifier-pool-options.js'
import { resolveHubOptions } from '../../src/hub/hub-options.js'
import { makeConfigTree, type ConfigTree } from './config-tree.js'

let tree: ConfigTree
beforeEach(() => {
  tree = makeConfigTree()
})
afterEach(() => tree.remove())

const load = (value: unknown) => {
  tree.write('fedmsg.d/10-hub.json', { verify_workers: value })
  return loadConfig({ cwd: tree.root, env: {}, searchDirs: ['fedmsg.d'] })
}

describe('verify_workers in a config file', () => {
  it.each([0, 1, 16, 'auto'])('%s is accepted', (value) => {
    expect(load(value).config.verify_workers).toBe(value)
  })

  it.each([-1, 1.5, 'many', null, '2'])('%s is refused, naming what is expected', (value) => {
    expect(() => load(value)).toThrow(
      expect.objectContaining({
        code: 'ERR_FEDMSG_CONFIG_INVALID',
        key: 'verify_workers',
        message: expect.stringContaining(
          `verify_workers: must be an integer >= 0 or "auto" (got ${JSON.stringify(value)})`,
        ),
      }),
    )
  })

  it('defaults to "auto"', () => {
    const loaded = loadConfig({ cwd: tree.root, env: {}, searchDirs: [] })
    expect(loaded.config.verify_workers).toBe('auto')
    expect(loaded.sources['verify_workers']).toBe('default')
  })
})

describe('the hub resolves it', () => {
  it('"auto" is one thread per core, at most 8, and none on a single core', () => {
    const cores = availableParallelism()
    expect(defaultVerifyWorkers()).toBe(cores < 2 ? 0 : Math.min(cores, 8))
    const resolved = resolveHubOptions({ config: { ...DEFAULT_CONFIG, verify_workers: 'auto' } })
    expect(resolved.verifyWorkers).toBe(defaultVerifyWorkers())
  })

  it('a number is taken as is', () => {
    const resolved = resolveHubOptions({ config: { ...DEFAULT_CONFIG, verify_workers: 3 } })
    expect(resolved.verifyWorkers).toBe(3)
  })
})
