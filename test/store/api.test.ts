/**
 * HTTP client -> fedmsg api (/raw, /v2/search, /id) -> database, on both backends: datagrepper's parameters
 * and response shape, each message with its envelope, keyset paging, 400 naming the bad parameter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../../src/store/api/serve-api.js'
import { openMessageDatabase, type MessageDatabase } from '../../src/store/message-database.js'
import { httpGet } from '../cli/cli-bus.js'
import { assertBuilt, startCli } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { BACKENDS, makeDatabaseFarm, row, type DatabaseFarm } from './store-backends.js'

let farm: DatabaseFarm
beforeAll(() => {
  farm = makeDatabaseFarm()
})
afterAll(() => farm.cleanup(), 30_000)

const T = Date.UTC(2026, 11, 1)
const get = async (api: ApiServer, path: string) => {
  const response = await httpGet(`${api.url}${path}`)
  return { status: response.status, body: JSON.parse(response.body) }
}

describe.each(BACKENDS)('fedmsg api on %s', (backend) => {
  let db: MessageDatabase
  let api: ApiServer
  beforeAll(async () => {
    db = await openMessageDatabase(await farm.url(backend), '/')
    await db.insert(
      Array.from({ length: 7 }, (_, n) =>
        row({
          msgId: `m${n}`,
          timestamp: T + n * 1000,
          topic: `org.fedoraproject.prod.${n % 2 === 0 ? 'bodhi' : 'koji'}.thing`,
        }),
      ),
    )
    api = await startApiServer(db, { host: '127.0.0.1', port: 0, prefix: 'org.fedoraproject' })
  }, 60_000)
  afterAll(async () => {
    await api.close()
    await db.close()
  })

  it('/raw answers in datagrepper shape, each message with its envelope', async () => {
    const { status, body } = await get(api, '/raw?category=bodhi&rows_per_page=2&order=asc')
    expect(status).toBe(200)
    expect(body).toMatchObject({ count: 2, total: 4, pages: 2 })
    expect(body.arguments).toMatchObject({ category: 'bodhi', page: 1, rows_per_page: 2 })
    expect(body.raw_messages.map((m: { msg_id: string }) => m.msg_id)).toEqual(['m0', 'm2'])
    expect(body.raw_messages[0]).toMatchObject({
      topic: 'org.fedoraproject.prod.bodhi.thing',
      timestamp: T / 1000,
      msg: { text: 'message m0' },
    })
    expect(JSON.parse(body.raw_messages[0].envelope)).toMatchObject({ msg: { text: 'message m0' } })
  })

  it('page 2 and next_cursor give the same rows (keyset, no row twice)', async () => {
    const first = await get(api, '/v2/search?rows_per_page=3')
    const second = await get(api, '/raw?rows_per_page=3&page=2')
    const byCursor = await get(api, `/raw?rows_per_page=3&cursor=${first.body.next_cursor}`)
    const ids = (r: { body: { raw_messages: { msg_id: string }[] } }) =>
      r.body.raw_messages.map((m) => m.msg_id)
    expect(ids(first)).toEqual(['m6', 'm5', 'm4'])
    expect(ids(second)).toEqual(['m3', 'm2', 'm1'])
    expect(ids(byCursor)).toEqual(ids(second))
  })

  it('start/end/delta, topic and not_topic filter like datagrepper', async () => {
    const range = await get(api, `/raw?start=${T / 1000 + 1}&delta=2&order=asc`)
    expect(range.body.raw_messages.map((m: { msg_id: string }) => m.msg_id)).toEqual(['m1', 'm2'])
    const topic = await get(api, '/raw?topic=org.fedoraproject.prod.koji.thing&not_contains=m3')
    expect(topic.body.raw_messages.map((m: { msg_id: string }) => m.msg_id)).toEqual(['m5', 'm1'])
  })

  it('/id returns one message, 404 for an unknown id', async () => {
    expect((await get(api, '/id?id=m4')).body).toMatchObject({ msg_id: 'm4' })
    expect((await get(api, '/id?id=nope')).status).toBe(404)
  })

  it.each([
    ['rows_per_page=101', 'rows_per_page'],
    ['rows_per_page=0', 'rows_per_page'],
    ['page=x', 'page'],
    ['order=sideways', 'order'],
    ['start=yesterday', 'start'],
    ['delta=-5', 'delta'],
    ['topic=not%20a%20topic', 'topic'],
    ['category=a.b', 'category'],
    ['cursor=abc', 'cursor'],
    ['user=two%20words', 'user'],
  ])('%s → 400 naming %s', async (query, parameter) => {
    const { status, body } = await get(api, `/raw?${query}`)
    expect(status).toBe(400)
    expect(body.parameter).toBe(parameter)
  })

  it('/id without id → 400 naming id', async () => {
    const { status, body } = await get(api, '/id')
    expect([status, body.parameter]).toEqual([400, 'id'])
  })
})

describe.each(BACKENDS)('fedmsg api /replay on %s (gap fill)', (backend) => {
  let db: MessageDatabase
  let api: ApiServer
  beforeAll(async () => {
    db = await openMessageDatabase(await farm.url(backend), '/')
    const envelope = (n: number) => `{"i":${n},  "kept":"byte for byte é"}`
    await db.insert([
      ...[5, 3, 4, 2].map((i) =>
        row({ msgId: `b${i}`, signer: 'bodhi', i, timestamp: T + i, envelope: envelope(i) }),
      ),
      row({ msgId: 'k3', signer: 'koji', i: 3, timestamp: T + 3 }),
      row({ msgId: 'old', signer: 'bodhi', i: 3, timestamp: T - 60_000 }),
    ])
    api = await startApiServer(db, { host: '127.0.0.1', port: 0, prefix: 'org.fedoraproject' })
  }, 60_000)
  afterAll(async () => {
    await api.close()
    await db.close()
  })

  it("returns one signer's range after start, oldest first, envelopes unchanged", async () => {
    const { status, body } = await get(
      api,
      `/replay?signer=bodhi&from_i=3&to_i=4&start=${T / 1000}`,
    )
    expect(status).toBe(200)
    expect(body).toEqual({
      messages: [3, 4].map((i) => ({
        topic: 'org.fedoraproject.dev.bodhi.update',
        envelope: `{"i":${i},  "kept":"byte for byte é"}`,
      })),
      count: 2,
    })
    const limited = await get(api, `/replay?start=${T / 1000}&limit=2`)
    expect(limited.body.count).toBe(2)
  })

  it.each([
    ['from_i=3', 'to_i'],
    ['from_i=4&to_i=3', 'to_i'],
    ['from_i=0&to_i=3', 'from_i'],
    ['limit=1001', 'limit'],
    ['start=soon', 'start'],
    ['signer=', 'signer'],
  ])('%s → 400 naming %s', async (query, parameter) => {
    const { status, body } = await get(api, `/replay?${query}`)
    expect([status, body.parameter]).toEqual([400, parameter])
  })
})

describe('fedmsg api command', () => {
  it('serves a SQLite store on --listen until SIGTERM', async () => {
    assertBuilt('api')
    const url = await farm.url('sqlite')
    const seed = await openMessageDatabase(url, '/')
    await seed.insert([row({ msgId: 'served' })])
    await seed.close()
    const port = await freePort()
    const child = startCli(['api', '--db', url, '--listen', `127.0.0.1:${port}`], { cwd: '/tmp' })
    try {
      await child.line('stderr', (line) => line.includes('"api started"'))
      const response = await httpGet(`http://127.0.0.1:${port}/id?id=served`)
      expect(JSON.parse(response.body)).toMatchObject({ msg_id: 'served' })
      child.child.kill('SIGTERM')
      expect(await child.exited).toBe(0)
    } finally {
      await child.kill()
    }
  })
})
