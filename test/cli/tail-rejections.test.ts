/**
 * Issue 13 item 1: `fedmsg tail` verifies through the same MessageVerifier as the hub and the relay, so a
 * replay is refused by the shared replay admission step, and it counts and logs rejections through the same
 * RejectionLog (`message rejected` on stderr), whether or not it prints them.
 *   raw XPUB --[topic, envelope] twice--> fedmsg tail --json --show-rejected --connect XPUB
 *   stdout: {"ok":true,...} then {"ok":false,"reason":"replay"}; stderr: "message rejected" reason replay
 */
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../fixtures/free-port.js'
import { makeBus, rawPublisher, topicOf, type Bus } from '../transport/bus-fixture.js'
import { assertBuilt, cliChildren } from './cli-process.js'

let bus: Bus
const { start, stopAll } = cliChildren(() => bus.dir)

beforeAll(async () => {
  assertBuilt('tail')
  bus = await makeBus()
})
afterEach(stopAll)
afterAll(() => bus.cleanup())

type TailLine = { ok: boolean; reason?: string; msg_id?: string }

describe('fedmsg tail rejections', () => {
  it('a message sent twice: printed once, then refused as replay, and logged as a rejection', async () => {
    const address = `tcp://127.0.0.1:${await freePort()}`
    const publisher = await rawPublisher(address)
    try {
      const file = join(bus.dir, 'tail.json')
      const { trust, crl } = bus.config()
      writeFileSync(file, JSON.stringify({ trust, crl }))
      const tail = start([
        'tail',
        '--config',
        file,
        '--json',
        '--show-rejected',
        '--connect',
        address,
      ])
      await publisher.subscribed()
      const topic = topicOf('bodhi', 'update.request')
      const msgId = `${new Date().getUTCFullYear()}-${randomUUID()}`
      const { frame } = bus
        .signerFor(bus.pki.leaf)
        .sign({ topic, msg: { n: 1 }, i: 1, msgId, timestamp: Date.now() })
      const parsed = (line: string) => JSON.parse(line) as TailLine

      await publisher.send([topic, frame])
      const first = await tail.line('stdout', (line) => parsed(line).ok, 20_000)
      expect(parsed(first).msg_id).toBe(msgId)
      await publisher.send([topic, frame])
      await tail.line('stdout', (line) => parsed(line).reason === 'replay', 20_000)
      const logged = await tail.line('stderr', (line) => line.includes('"message rejected"'))
      expect(JSON.parse(logged)).toMatchObject({
        level: 40,
        reason: 'replay',
        signer: 'bodhi',
        topic,
      })
    } finally {
      publisher.socket.close()
    }
  })
})
