/**
 * `history` answered from the store (a real SQLite database, as `fedmsg store` writes it) when one is
 * configured, and from the in-memory ring when the store cannot answer. Rows are envelopes the dev CA's
 * `bodhi` signed; each is verified again as of its own time, so a row changed in the database is not served:
 *
 *   ws client -> {"op":"history"} -> WsGateway -> StoreHistory -> SQLite
 */
import { createServer, type Server } from 'node:http'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createStoredRowVerifier } from '../../src/archive/stored-row-verifier.js'
import { devDefaults } from '../../src/config/dev-defaults.js'
import { readConfiguredFile } from '../../src/config/read-configured-file.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { StoreHistory } from '../../src/gateway/history-source.js'
import { WsGateway } from '../../src/gateway/ws-gateway.js'
import { signerFromConfig } from '../../src/publisher/signer-from-config.js'
import { openMessageDatabase } from '../../src/store/message-database.js'
import {
  storedMessageOf,
  type StoredMessage,
  type StoredRow,
} from '../../src/store/stored-message.js'

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
  await new Promise((resolve) => (http === undefined ? resolve(undefined) : http.close(resolve)))
  await store?.close()
  http = gateway = store = client = undefined
  rmSync(dir, { recursive: true, force: true })
})

const config = devDefaults()
const signer = signerFromConfig(config, 'bodhi')
const trust = { trustAnchors: config.trust.map((file) => readConfiguredFile(file, 'trust')) }
const verifier = new EnvelopeVerifier({ ...trust, maxAgeMs: null, replayWindowMs: null })
const logLines: string[] = []
const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) })

const BASE = Date.now() - 60_000

/** The row `fedmsg store` writes for message `n` on `topic`, signed by the dev `bodhi`. */
function row(n: number, topic: string): StoredMessage {
  const { frame } = signer.sign({ topic, msg: { stored: n }, i: n, timestamp: BASE + n })
  const result = verifier.verify(topic, frame)
  if (!result.ok) throw new Error(`the fixture does not verify: ${result.detail}`)
  return storedMessageOf(result.message, BASE + n)
}

let checked = 0
const verifyRow = createStoredRowVerifier(trust)

async function historyOf(url: string, pattern: string, limit: number): Promise<unknown> {
  store = new StoreHistory(
    () => openMessageDatabase(url, dir),
    Object.assign(
      (row: StoredRow) => {
        checked += 1
        return verifyRow(row)
      },
      { setCrls: verifyRow.setCrls },
    ),
    logger,
  )
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
    const rows = [
      row(1, 'org.example.bodhi.update'),
      row(2, 'org.example.koji.build'),
      row(3, 'org.example.bodhi.comment'),
      row(4, 'org.example.bodhi.update'),
    ]
    await db.insert(rows)
    await db.close()
    expect(await historyOf(url, 'org.example.bodhi.>', 2)).toEqual({
      type: 'history',
      pattern: 'org.example.bodhi.>',
      source: 'store',
      messages: [
        { topic: 'org.example.bodhi.comment', envelope: rows[2]!.envelope },
        { topic: 'org.example.bodhi.update', envelope: rows[3]!.envelope },
      ],
    })
  })

  it('pattern > alone: every stored topic (the store once matched none: its regex wanted a leading dot)', async () => {
    const url = `sqlite:${join(dir, 'fedmsg.db')}`
    const db = await openMessageDatabase(url, dir)
    const rows = [row(1, 'org.example.bodhi.update'), row(2, 'single')]
    await db.insert(rows)
    await db.close()
    expect(await historyOf(url, '>', 10)).toMatchObject({
      source: 'store',
      messages: [
        { topic: 'org.example.bodhi.update', envelope: rows[0]!.envelope },
        { topic: 'single', envelope: rows[1]!.envelope },
      ],
    })
  })

  it('a row changed in the database (body, topic column, or made up) is not served: counted, logged once per verdict', async () => {
    const url = `sqlite:${join(dir, 'fedmsg.db')}`
    const db = await openMessageDatabase(url, dir)
    const genuine = row(1, 'org.example.bodhi.update')
    const changed = row(2, 'org.example.bodhi.update')
    const moved = row(3, 'org.example.bodhi.update')
    await db.insert([
      genuine,
      { ...changed, envelope: changed.envelope.replace('"stored":2', '"stored":9') },
      { ...moved, topic: 'org.example.bodhi.comment' },
      { ...row(4, 'org.example.bodhi.update'), msgId: 'made-up', envelope: '{"forged":true}' },
    ])
    await db.close()
    expect(await historyOf(url, 'org.example.bodhi.>', 10)).toEqual({
      type: 'history',
      pattern: 'org.example.bodhi.>',
      source: 'store',
      messages: [{ topic: genuine.topic, envelope: genuine.envelope }],
    })
    expect(store!.refused).toBe(3)
    const logged = logLines.filter((line) => line.includes('a stored row does not verify'))
    expect(logged.map((line) => (JSON.parse(line) as { verdict: string }).verdict).sort()).toEqual([
      'bad_signature',
      'malformed',
      'topic_mismatch',
    ])
  })

  it('a row verified once is not verified again for the next request: a hash per row', async () => {
    const url = `sqlite:${join(dir, 'fedmsg.db')}`
    const db = await openMessageDatabase(url, dir)
    await db.insert([row(1, 'org.example.bodhi.update'), row(2, 'org.example.bodhi.update')])
    await db.close()
    checked = 0
    await historyOf(url, 'org.example.bodhi.>', 10)
    expect(checked).toBe(2)
    client!.send(JSON.stringify({ op: 'history', pattern: 'org.example.>', limit: 10 }))
    const [again] = await once(client!, 'message')
    expect(JSON.parse(String(again))).toMatchObject({ source: 'store', messages: [{}, {}] })
    expect(checked).toBe(2)
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
