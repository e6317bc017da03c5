/**
 * Users and packages of each message's summary (src/meta), stored per message, on both backends:
 * MessageDatabase filters -> fedmsg api `user=`/`package=`/`not_*` -> `fedmsg query --user/--package`, and
 * `fedmsg query --pretty`: one human line per message.
 */
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../../src/store/api/serve-api.js'
import { openMessageDatabase, type MessageDatabase } from '../../src/store/message-database.js'
import type { MessageFilter } from '../../src/store/message-filter.js'
import { httpGet } from '../cli/cli-bus.js'
import { assertBuilt, runCli } from '../cli/cli-process.js'
import { BACKENDS, makeDatabaseFarm, row, type DatabaseFarm } from './store-backends.js'

let farm: DatabaseFarm
beforeAll(() => {
  assertBuilt('query')
  farm = makeDatabaseFarm()
})
afterAll(() => farm.cleanup(), 30_000)

const T = Date.UTC(2026, 11, 1)
const BODHI = 'org.fedoraproject.prod.bodhi.update.request'
// A bodhi update request: its summary names the agent and the update's packages.
const bodhiEnvelope = (agent: string, nvr: string) =>
  JSON.stringify({
    topic: BODHI,
    msg: { agent, update: { title: nvr, request: 'testing', builds: [{ nvr }] } },
  })
const ROWS = [
  row({ msgId: 'a', timestamp: T, users: ['ralph'], packages: ['kernel'] }),
  row({ msgId: 'b', timestamp: T + 1, users: ['ralph', 'lmacken'], packages: ['python-requests'] }),
  row({ msgId: 'c', timestamp: T + 2, users: ['toshio'], packages: ['kernel', 'glibc'] }),
  row({ msgId: 'd', timestamp: T + 3 }),
  row({
    msgId: 'e',
    timestamp: T + 4,
    topic: BODHI,
    envelope: bodhiEnvelope('lmacken', 'python-requests-2.31.0-1.fc40'),
  }),
]

describe.each(BACKENDS)('summary users and packages on %s', (backend) => {
  let url: string
  let db: MessageDatabase
  let api: ApiServer
  beforeAll(async () => {
    url = await farm.url(backend)
    db = await openMessageDatabase(url, '/')
    await db.insert(ROWS)
    api = await startApiServer(db, { host: '127.0.0.1', port: 0, prefix: 'org.fedoraproject' })
  }, 60_000)
  afterAll(async () => {
    await api.close()
    await db.close()
  })

  const ids = async (filter: Omit<MessageFilter, 'limit' | 'order'>) => {
    const rows = await db.query({ ...filter, limit: 10, order: 'asc' })
    expect(await db.count({ ...filter, limit: 10 })).toBe(rows.length)
    return rows.map((r) => r.msgId)
  }

  it.each([
    { name: 'one user', filter: { users: ['ralph'] }, want: ['a', 'b'] },
    {
      name: 'users are alternatives',
      filter: { users: ['ralph', 'toshio'] },
      want: ['a', 'b', 'c'],
    },
    { name: 'one package', filter: { packages: ['kernel'] }, want: ['a', 'c'] },
    {
      name: 'user and package both hold',
      filter: { users: ['ralph'], packages: ['kernel'] },
      want: ['a'],
    },
    { name: 'not_user excludes', filter: { notUsers: ['ralph'] }, want: ['c', 'd', 'e'] },
    {
      name: 'not_package excludes',
      filter: { notPackages: ['kernel', 'glibc'] },
      want: ['b', 'd', 'e'],
    },
    { name: 'a name nobody has', filter: { users: ['nobody'] }, want: [] },
  ])('$name', async ({ filter, want }) => {
    expect(await ids(filter)).toEqual(want)
  })

  it('prune takes a message with its users and packages', async () => {
    const otherUrl = await farm.url(backend)
    const other = await openMessageDatabase(otherUrl, '/')
    await other.insert([row({ msgId: 'old', timestamp: T - 1000, users: ['ralph'] }), ROWS[0]!])
    expect(await other.prune(T)).toBe(1)
    // Stored again under the same msg_id, it has only the users it is given now.
    await other.insert([row({ msgId: 'old', timestamp: T - 1000, users: ['toshio'] })])
    const found = await other.query({ users: ['ralph'], limit: 10 })
    expect(found.map((r) => r.msgId)).toEqual(['a'])
    await other.close()
    if (backend === 'sqlite') {
      const file = new Database(otherUrl.slice('sqlite:'.length), { readonly: true })
      const orphans = file
        .prepare(
          'SELECT count(*) AS n FROM message_users WHERE message_id NOT IN (SELECT id FROM messages)',
        )
        .get() as { n: number }
      file.close()
      expect(orphans.n).toBe(0)
    }
  })

  it('/raw takes datagrepper user, package, not_user, not_package', async () => {
    const raw = async (query: string) => {
      const response = await httpGet(`${api.url}/raw?order=asc&${query}`)
      expect(response.status).toBe(200)
      return (JSON.parse(response.body) as { raw_messages: { msg_id: string }[] }).raw_messages.map(
        (m) => m.msg_id,
      )
    }
    expect(await raw('user=ralph&user=toshio')).toEqual(['a', 'b', 'c'])
    expect(await raw('package=kernel&not_user=toshio')).toEqual(['a'])
    expect(await raw('not_package=kernel&not_package=python-requests')).toEqual(['d', 'e'])
  })

  it('fedmsg query --user/--package; --pretty prints time, topic, signer and summary', async () => {
    const query = (...args: string[]) => runCli(['query', '--db', url, ...args], { cwd: '/tmp' })
    const filtered = await query('--user', 'ralph', '--package', 'python-requests', '--json')
    expect(filtered.code).toBe(0)
    expect(
      filtered.stdout.split('\n').map((l) => (JSON.parse(l) as { msg_id: string }).msg_id),
    ).toEqual(['b'])
    const pretty = await query('--pretty', '--topic', BODHI)
    expect(pretty.code).toBe(0)
    // Not a terminal: no colour codes.
    expect(pretty.stdout).toBe(
      `${new Date(T + 4).toISOString()} ${BODHI} bodhi ` +
        'lmacken submitted python-requests-2.31.0-1.fc40 to testing',
    )
    const both = await query('--pretty', '--json')
    expect(both.code).toBe(2)
  })
})
