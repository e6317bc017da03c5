/**
 * Rows stored before summary names were kept (no users, no packages) -> a real `fedmsg archive
 * backfill-summaries` process -> `--user`/`--package` find them; a second run changes nothing. Both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openMessageDatabase } from '../../src/store/message-database.js'
import { assertBuilt, runCli } from '../cli/cli-process.js'
import { BACKENDS, makeDatabaseFarm, row, type DatabaseFarm } from '../store/store-backends.js'

let farm: DatabaseFarm
beforeAll(() => {
  assertBuilt('archive')
  farm = makeDatabaseFarm()
})
afterAll(() => farm.cleanup(), 30_000)

const BODHI = 'org.fedoraproject.prod.bodhi.update.request'
const LOGGER = 'org.fedoraproject.prod.logger.log'
const envelope = (topic: string, msg: unknown) => JSON.stringify({ topic, msg })

describe.each(BACKENDS)('fedmsg archive backfill-summaries (%s)', (backend) => {
  it('adds the summary names of old rows, once', async () => {
    const url = await farm.url(backend)
    const db = await openMessageDatabase(url, '/')
    const t = Date.UTC(2026, 10, 30)
    await db.insert([
      row({
        msgId: 'old-request',
        topic: BODHI,
        timestamp: t,
        envelope: envelope(BODHI, {
          agent: 'ralph',
          update: { builds: [{ nvr: 'kernel-6.1-1' }] },
        }),
      }),
      row({
        msgId: 'old-log',
        topic: LOGGER,
        timestamp: t + 1,
        envelope: envelope(LOGGER, { log: 'hi' }),
      }),
    ])
    const found = async () =>
      (await db.query({ users: ['ralph'], packages: ['kernel'], limit: 10 })).map((r) => r.msgId)
    expect(await found()).toEqual([])
    const backfill = () => runCli(['archive', 'backfill-summaries', '--db', url], { cwd: '/tmp' })
    const first = await backfill()
    expect([first.code, first.stdout]).toEqual([0, 'summarized 1'])
    expect(await found()).toEqual(['old-request'])
    const again = await backfill()
    expect([again.code, again.stdout]).toEqual([0, 'summarized 1'])
    expect(await db.count({ users: ['ralph'], limit: 10 })).toBe(1)
    await db.close()
  })
})
