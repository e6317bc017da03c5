/**
 * The replay journal on a real file system: what one run admits, the next refuses; the files stay bounded by
 * the window and by the cache's cap; a crash mid-write and a shared directory are handled.
 *   run #1 admit -> commit (write, fdatasync) -> close | SIGKILL ; run #2 open -> reads every file -> refuses
 */
import {
  appendFileSync,
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { JournaledReplayAdmission } from '../../src/replay-journal/journaled-replay-admission.js'

const T = 1_700_000_000_000
const root = mkdtempSync(join(tmpdir(), 'fm-journal-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let dirs = 0
/** A journal directory as a first run left it: one file, nothing in it. */
function initialised(): string {
  const dir = join(root, `j${++dirs}`)
  JournaledReplayAdmission.open({
    dir,
    windowMs: 1,
    clockSkewMs: 0,
    now: () => 0,
    fsync: true,
  }).close()
  return dir
}

function open(
  dir: string,
  now: () => number,
  extra: { maxEntries?: number; windowMs?: number; fsync?: boolean } = {},
) {
  return JournaledReplayAdmission.open({
    dir,
    windowMs: extra.windowMs ?? 1000,
    clockSkewMs: 100,
    now,
    fsync: extra.fsync ?? true,
    ...(extra.maxEntries === undefined ? {} : { maxEntries: extra.maxEntries }),
  })
}

function refuses(admission: JournaledReplayAdmission, id: string, timestamp: number, now: number) {
  try {
    admission.admit(id, timestamp, now)
    return false
  } catch (error) {
    expect(error).toMatchObject({ reason: 'replay' })
    return true
  }
}

describe('JournaledReplayAdmission', () => {
  it('a run refuses what an earlier run committed, and admits what it did not', () => {
    const dir = initialised()
    const first = open(dir, () => T)
    expect(first.start).toEqual({ health: 'ok', problem: undefined, closedUpTo: undefined })
    first.admit('a', T, T)
    first.commit()
    first.admit('uncommitted', T, T)
    first.close()
    const second = open(dir, () => T + 10)
    expect(refuses(second, 'a', T, T + 10)).toBe(true)
    expect(refuses(second, 'uncommitted', T, T + 10)).toBe(false)
    second.close()
  })

  it('what a crash cut short after the last newline is ignored, not corrupt', () => {
    const dir = initialised()
    const first = open(dir, () => T)
    first.admit('a', T, T)
    first.commit()
    const [file] = readdirSync(dir).filter((name) =>
      readFileSync(join(dir, name), 'utf8').includes('"a"'),
    )
    appendFileSync(join(dir, file!), '["A",17000000')
    const second = open(dir, () => T)
    expect(second.start.health).toBe('ok')
    expect(refuses(second, 'a', T, T)).toBe(true)
    first.close()
    second.close()
  })

  it('an empty directory is a missing journal: closed up to now + skew, and the floor is journaled', () => {
    const dir = join(root, 'never-initialised')
    const first = open(dir, () => T)
    expect(first.start).toMatchObject({ health: 'missing', closedUpTo: T + 100 })
    expect(refuses(first, 'x', T + 100, T)).toBe(true)
    expect(refuses(first, 'y', T + 101, T)).toBe(false)
    first.close()
    const second = open(dir, () => T + 50)
    expect(second.start.health).toBe('ok')
    expect(refuses(second, 'z', T + 100, T + 50)).toBe(true)
    second.close()
  })

  it('written without fsync: fine on the same boot; after a reboot it counts as lost (closed up to now + skew)', () => {
    const dir = initialised()
    const first = open(dir, () => T, { fsync: false })
    first.admit('a', T, T)
    first.commit()
    first.close()
    const sameBoot = open(dir, () => T + 10)
    expect(sameBoot.start.health).toBe('ok')
    sameBoot.close()
    // What the files would say after the machine went down: another boot id on the unsynced writer's lines.
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      const text = readFileSync(path, 'utf8')
      writeFileSync(path, text.replace(/\["B","[^"]*"\]/g, '["B","an-earlier-boot"]'))
    }
    const afterReboot = open(dir, () => T + 20)
    expect(afterReboot.start).toMatchObject({ health: 'rebooted', closedUpTo: T + 120 })
    expect(refuses(afterReboot, 'a', T, T + 20)).toBe(true)
    expect(refuses(afterReboot, 'b', T + 120, T + 20)).toBe(true)
    afterReboot.close()
    // The earlier boot's file was retired once its ids were copied: the next start is an ordinary one.
    const next = open(dir, () => T + 30)
    expect(next.start.health).toBe('ok')
    expect(refuses(next, 'a', T, T + 30)).toBe(true)
    next.close()
  })

  // Security review: an unsynced writer's file can come back empty after a power loss (delayed allocation),
  // its boot line lost with its ids; it read as an empty, healthy journal, and those ids were admitted again.
  it('a journal file without its header line (emptied by a power loss) counts as corrupt: closed up to now + skew', () => {
    const dir = initialised()
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), '')
    writeFileSync(join(dir, 'replay-999999999-abcdef-0.jrnl'), '{"fedmsg":"repl')
    const after = open(dir, () => T)
    expect(after.start).toMatchObject({ health: 'corrupt', closedUpTo: T + 100 })
    expect(refuses(after, 'a', T + 100, T)).toBe(true)
    after.close()
  })

  it('bounded by the window: files of expired ids are deleted as new ones start', () => {
    const dir = initialised()
    let now = T
    const admission = open(dir, () => now)
    for (let n = 0; n < 50; n += 1) {
      now = T + n * 200
      admission.admit(`id${n}`, now, now)
      admission.commit()
      expect(readdirSync(dir).length).toBeLessThanOrEqual(3)
    }
    admission.close()
    const reopened = open(dir, () => now)
    expect(reopened.size).toBeLessThanOrEqual(6)
    expect(refuses(reopened, 'id49', now, now)).toBe(true)
    reopened.close()
  })

  it('bounded by the cap: files older than one closed full are deleted; the floor carried refuses their ids', () => {
    const dir = initialised()
    const admission = open(dir, () => T, { maxEntries: 10, windowMs: 1e9 })
    for (let n = 0; n < 100; n += 1) {
      admission.admit(`id${n}`, T + n, T)
      admission.commit()
      expect(readdirSync(dir).length).toBeLessThanOrEqual(3)
    }
    admission.close()
    const reopened = open(dir, () => T, { maxEntries: 10, windowMs: 1e9 })
    expect(reopened.size).toBe(10)
    expect(refuses(reopened, 'id0', T, T)).toBe(true)
    expect(refuses(reopened, 'id99', T + 99, T)).toBe(true)
    expect(refuses(reopened, 'new', T + 100, T)).toBe(false)
    reopened.close()
  })

  it('two writers share a directory, each in its own file; a new run refuses what both admitted', () => {
    const dir = initialised()
    const one = open(dir, () => T)
    const two = open(dir, () => T)
    one.admit('from-one', T, T)
    one.commit()
    two.admit('from-two', T, T)
    two.commit()
    const three = open(dir, () => T)
    expect(refuses(three, 'from-one', T, T)).toBe(true)
    expect(refuses(three, 'from-two', T, T)).toBe(true)
    for (const admission of [one, two, three]) admission.close()
  })

  it('a state directory that cannot be created → StateUnavailable, naming it', () => {
    const file = join(root, 'a-file')
    writeFileSync(file, '')
    expect(() => open(join(file, 'hub'), () => T)).toThrow(
      expect.objectContaining({ code: 'ERR_FEDMSG_STATE_UNAVAILABLE' }),
    )
  })

  // Security review: whoever can write the directory can delete a run's file (its ids are then admitted again,
  // with the journal still "ok") or plant a floor far ahead (every message refused).
  it('a journal directory group or others can write → StateUnavailable, nothing read from it', () => {
    const dir = initialised()
    const first = open(dir, () => T)
    first.admit('a', T, T)
    first.commit()
    first.close()
    chmodSync(dir, 0o777)
    expect(() => open(dir, () => T)).toThrow(
      expect.objectContaining({
        code: 'ERR_FEDMSG_STATE_UNAVAILABLE',
        message: expect.stringContaining(`chmod 700 ${dir}`),
      }),
    )
    chmodSync(dir, 0o750)
    const second = open(dir, () => T)
    expect(refuses(second, 'a', T, T)).toBe(true)
    second.close()
  })
})
