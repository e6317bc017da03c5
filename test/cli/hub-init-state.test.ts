/**
 * `fedmsg hub --init-state`: the install step that marks a new state directory as a first start, so the first
 * hub run admits at once instead of refusing one clock skew of traffic (it cannot tell a first start from a
 * lost journal). It never resets an existing journal.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { currentBootId } from '../../src/replay-journal/boot-id.js'
import { readJournalDirectory } from '../../src/replay-journal/journal-directory.js'
import { makeCliBus, type CliBus } from './cli-bus.js'
import { assertBuilt, runCli } from './cli-process.js'

let bus: CliBus
beforeAll(() => {
  assertBuilt('hub')
  bus = makeCliBus(['bodhi'])
})
afterAll(() => bus.cleanup())

describe('fedmsg hub --init-state', () => {
  it('creates the journal of a new state_dir once, then never touches it again', async () => {
    const stateDir = join(bus.dir, 'new-state')
    const journal = join(stateDir, 'hub')
    const config = bus.writeConfig('init-state', { state_dir: stateDir })
    expect(readJournalDirectory(journal, Date.now(), currentBootId()).health).toBe('missing')

    const first = await runCli(['hub', '--init-state', '--config', config], { cwd: bus.dir })
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(`replay journal created in ${journal}`)
    expect(readJournalDirectory(journal, Date.now(), currentBootId()).health).toBe('ok')
    const files = readdirSync(journal)
    const content = readFileSync(join(journal, files[0]!), 'utf8')

    const second = await runCli(['hub', '--init-state', '--config', config], { cwd: bus.dir })
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('already holds a replay journal; nothing changed')
    expect(readdirSync(journal)).toEqual(files)
    expect(readFileSync(join(journal, files[0]!), 'utf8')).toBe(content)
  })

  it('a state_dir that cannot be created: exit 2 with ERR_FEDMSG_STATE_UNAVAILABLE', async () => {
    const config = bus.writeConfig('init-state-bad', {
      state_dir: join(bus.dir, 'pki/root-ca.crt'),
    })
    const run = await runCli(['hub', '--init-state', '--config', config], { cwd: bus.dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('ERR_FEDMSG_STATE_UNAVAILABLE')
  })
})
