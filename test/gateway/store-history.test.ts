/**
 * `history` answered from the store (a real SQLite database, as `fedmsg store` writes it) when one is
 * configured, and from the in-memory ring when the store cannot answer:
 *
 *   ws client -> {"op":"history"} -> WsGateway -> StoreHistory -> SQLite
 */
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { StoreHistory } from '../../src/gateway/history-source.js'
import { WsGateway } from '../../src/gateway/ws-gateway.js'
import { openMessageDatabase } from '../../src/store/message-database.js'
import type { StoredMessage } from '../../src/store/stored-message.js'

let dir: string
let http: Server | undefined
let gateway: WsGateway | undefined
let store: StoreHistory | undefined
let client: WebSocket | undefined

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-store-history-'))
})

afterEach(async () => {
  client?.terminate()
  await gateway?.close()
  await new Promise((resolve) => http?.close(resolve))
  await store?.close()
  http = gateway = store = client = undefined
  rmSync(dir, { recursive: true, force: true })
})

const row = (n: number, topic: string): StoredMessage => ({
  msgId: `2024-00000000-0000-4000-8000-00000000000${n}`,
  topic,
  signer: 'bodhi',
  timestamp: 1_700_000_000_000 + n,
  i: n,
  certSha256: 'ab'.repeat(32),
  receivedAt: 1_700_000_000_000 + n,
  envelope: `{"stored":${n}}`,
})

async function historyOf(url: string, pattern: string, limit: number): Promise<unknown> {
  store = new StoreHistory(() => openMessageDatabase(url, dir))
  gateway = new WsGateway({}, store.query)
  http = createServer((_, response) => response.writeHead(404).end())
  gateway.attach(http)
  http.listen(0, '127.0.0.1')
  await once(http, 'listening')
  // The ring holds one message the store does not: which of the two answered shows in the reply.
  gateway.forward('org.example.bodhi.ring', '{"ring":true}')
  client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`)
  await once(client, 'open')
  client.send(JSON.stringify({ op: 'history', pattern, limit }))
  const [data] = await once(client, 'message')
  return JSON.parse(String(data))
}

describe('history from the store', () => {
  it('answers with the newest rows of the pattern from the database, oldest first, envelopes as stored', async () => {
    const url = `sqlite:${join(dir, 'fedmsg.db')}`
    const db = await openMessageDatabase(url, dir)
    await db.insert([
      row(1, 'org.example.bodhi.update'),
      row(2, 'org.example.koji.build'),
      row(3, 'org.example.bodhi.comment'),
      row(4, 'org.example.bodhi.update'),
    ])
    await db.close()
    expect(await historyOf(url, 'org.example.bodhi.>', 2)).toEqual({
      type: 'history',
      pattern: 'org.example.bodhi.>',
      source: 'store',
      messages: [
        { topic: 'org.example.bodhi.comment', envelope: '{"stored":3}' },
        { topic: 'org.example.bodhi.update', envelope: '{"stored":4}' },
      ],
    })
  })

  it('pattern > alone: every stored topic (the store once matched none: its regex wanted a leading dot)', async () => {
    const url = `sqlite:${join(dir, 'fedmsg.db')}`
    const db = await openMessageDatabase(url, dir)
    await db.insert([row(1, 'org.example.bodhi.update'), row(2, 'single')])
    await db.close()
    expect(await historyOf(url, '>', 10)).toMatchObject({
      source: 'store',
      messages: [
        { topic: 'org.example.bodhi.update', envelope: '{"stored":1}' },
        { topic: 'single', envelope: '{"stored":2}' },
      ],
    })
  })

  it('a store that cannot be opened: the in-memory ring answers, and the failure is counted', async () => {
    const url = `sqlite:${join(dir, 'no such directory', 'fedmsg.db')}`
    expect(await historyOf(url, 'org.example.>', 10)).toEqual({
      type: 'history',
      pattern: 'org.example.>',
      source: 'memory',
      messages: [{ topic: 'org.example.bodhi.ring', envelope: '{"ring":true}' }],
    })
    expect(gateway!.stats().historyStoreFailures).toBe(1)
  })
})
