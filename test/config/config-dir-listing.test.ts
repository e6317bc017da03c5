/**
 * Issue 19, item 1: a fedmsg.d directory never fails open. An entry that may be meant as configuration but
 * cannot be read is an error wherever it lies; a directory named by `--config` or `$FEDMSG_CONFIG` must
 * yield at least one file, or loading stops and names what was skipped and why.
 */
import { mkdirSync, symlinkSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig, type LoadConfigOptions } from '../../src/config/load-config.js'
import { makeConfigTree, type ConfigTree } from './config-tree.js'

let tree: ConfigTree
beforeEach(() => {
  tree = makeConfigTree()
})
afterEach(() => tree.remove())

/** Loads with only the tree's directories: no /etc, no HOME, no $FEDMSG_CONFIG. */
function load(dirs: string[], options: LoadConfigOptions = {}) {
  return loadConfig({
    cwd: tree.root,
    env: {},
    searchDirs: dirs.map((d) => tree.path(d)),
    ...options,
  })
}

interface UnreadableCase {
  name: string
  /** Makes the faulty entry in directory `d` of the tree. */
  make: () => void
  /** What the message says about the entry. */
  says: RegExp
}

const UNREADABLE: UnreadableCase[] = [
  {
    name: 'a broken symlink',
    make: () => symlinkSync(tree.path('nowhere.json'), tree.path('d/20-env.json')),
    says: /20-env\.json: broken symlink/,
  },
  {
    name: 'a broken symlink not named *.json',
    make: () => symlinkSync(tree.path('nowhere'), tree.path('d/pki')),
    says: /pki: broken symlink/,
  },
  {
    name: 'a symlink loop (stat fails with ELOOP)',
    make: () => symlinkSync(tree.path('d/30-loop.json'), tree.path('d/30-loop.json')),
    says: /30-loop\.json: cannot read/,
  },
  {
    name: 'a name ending in .JSON',
    make: () => tree.write('d/20-env.JSON', { environment: 'prod' }),
    says: /20-env\.JSON: .*lower-case \.json/,
  },
  {
    name: 'a directory named *.json',
    make: () => mkdirSync(tree.path('d/x.json')),
    says: /x\.json: .*not a regular file/,
  },
]

describe('an entry of a searched directory that cannot be read is an error, not skipped', () => {
  it.each(UNREADABLE)('$name → ERR_FEDMSG_CONFIG_INVALID', ({ make, says }) => {
    tree.write('d/10-bus.json', { max_age_seconds: 100 })
    make()
    expect(() => load(['d'])).toThrow(
      expect.objectContaining({
        code: 'ERR_FEDMSG_CONFIG_INVALID',
        message: expect.stringMatching(says),
      }),
    )
  })

  it('a search directory that is a broken symlink is an error', () => {
    symlinkSync(tree.path('gone'), tree.path('d'))
    expect(() => load(['d'])).toThrow(
      expect.objectContaining({
        code: 'ERR_FEDMSG_CONFIG_INVALID',
        message: expect.stringMatching(/d: broken symlink/),
      }),
    )
  })

  it('hidden entries are never looked at, even broken symlinks (editor lock files)', () => {
    tree.write('d/10-bus.json', { max_age_seconds: 100 })
    symlinkSync('user@host.1234', tree.path('d/.#10-bus.json'))
    expect(load(['d']).config.max_age_seconds).toBe(100)
  })

  it('other names and subdirectories are still ignored', () => {
    tree.write('d/10-bus.json', { max_age_seconds: 100 })
    tree.write('d/10-bus.json.rpmsave', { max_age_seconds: 1 })
    tree.write('d/pki/root.json', { max_age_seconds: 2 })
    expect(load(['d']).config.max_age_seconds).toBe(100)
  })
})

describe('a named directory must yield a config file', () => {
  const namings: [string, (dir: string) => LoadConfigOptions][] = [
    ['--config', (dir) => ({ configPath: dir })],
    ['$FEDMSG_CONFIG', (dir) => ({ env: { FEDMSG_CONFIG: dir } })],
  ]

  it.each(namings)(
    '%s DIR with no *.json file → ERR_FEDMSG_CONFIG_NOT_FOUND naming what was skipped',
    (namedBy, naming) => {
      tree.write('named/bus.yaml', 'environment: prod\n')
      tree.write('named/.10-bus.json', { environment: 'prod' })
      mkdirSync(tree.path('named/pki'))
      let error: unknown
      try {
        load([], naming('named'))
      } catch (caught) {
        error = caught
      }
      expect(error).toMatchObject({ code: 'ERR_FEDMSG_CONFIG_NOT_FOUND' })
      const { message } = error as Error
      expect(message).toContain(`${namedBy} names named`)
      expect(message).toContain('.10-bus.json (hidden)')
      expect(message).toContain('bus.yaml (not named *.json)')
      expect(message).toContain('pki (not named *.json)')
    },
  )

  it.each(namings)('%s naming an empty directory → ERR_FEDMSG_CONFIG_NOT_FOUND', (_, naming) => {
    mkdirSync(tree.path('empty'))
    expect(() => load([], naming('empty'))).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_CONFIG_NOT_FOUND' }),
    )
  })

  it('a search directory with no file is not an error: it adds nothing', () => {
    tree.write('d/notes.txt', 'nothing here')
    expect(load(['d']).sources.environment).toBe('default')
  })
})
