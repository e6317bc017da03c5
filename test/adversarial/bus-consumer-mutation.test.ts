/**
 * B7: a consumer module that tries to change a message before the next consumer sees it.
 *
 *   bodhi Publisher --M--> hub --M--> [mutator, reader]   mutator's writes throw (counted as its errors);
 *                                                          reader gets M exactly as bodhi signed it
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VerifiedMessage } from '../../src/crypto/envelope/verified-message.js'
import type { Consumer } from '../../src/hub/consumer.js'
import { createHub, type Hub } from '../../src/hub/hub.js'
import { createPublisher, type Publisher } from '../../src/publisher/publisher.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, recorder, topicOf, type Bus, type Recorder } from '../transport/bus-fixture.js'

const BODY = { update: { alias: 'FEDORA-2026-1', builds: [{ nvr: 'bash-5.2-1' }] }, karma: 1 }

/** Each write a hostile consumer could try, by name. Every one must throw on a verified message. */
const WRITES: Record<string, (message: VerifiedMessage) => void> = {
  'a top-level body member': (m) => ((m.body as Record<string, unknown>).karma = 3),
  'a nested body member': (m) =>
    (((m.body.update as Record<string, unknown>).builds as { nvr: string }[])[0]!.nvr = 'evil-1'),
  'an array element pushed': (m) =>
    ((m.body.update as Record<string, unknown>).builds as unknown[]).push({ nvr: 'evil-2' }),
  'a body member deleted': (m) => delete (m.body as Record<string, unknown>).karma,
  'a header added': (m) => ((m.headers as Record<string, string>).sent_by = 'evil'),
  'the topic': (m) => ((m as { topic: string }).topic = 'org.fedoraproject.dev.fas.user.create'),
  'the signer name': (m) => ((m.signer as { name: string }).name = 'fas'),
}

let bus: Bus
let hub: Hub
let publisher: Publisher
let reader: Recorder
const attempts: { write: string; threw: boolean }[] = []

beforeAll(async () => {
  bus = await makeBus()
  const config = bus.config({ endpoints: { bodhi: [await uniqueAddress('tcp', bus.dir)] } })
  const mutator: Consumer = {
    name: 'mutator',
    topic: topicOf('bodhi', '>'),
    consume(message) {
      for (const [write, attempt] of Object.entries(WRITES)) {
        try {
          attempt(message)
          attempts.push({ write, threw: false })
        } catch {
          attempts.push({ write, threw: true })
        }
      }
      ;(message.body as Record<string, unknown>).karma = 3 // uncaught: the hub counts it as an error
    },
  }
  reader = recorder(topicOf('bodhi', '>'), 'reader')
  hub = await createHub({ config, consumers: [mutator, reader] })
  publisher = await createPublisher({ name: 'bodhi', config })
})
afterAll(async () => {
  await publisher?.close()
  await hub?.close()
  bus?.cleanup()
})

describe('B7: a consumer mutates the message', () => {
  it('every write throws, counts as the mutator’s error, and the next consumer sees the signed body', async () => {
    // PUB drops what no subscriber asked for yet: publish until the reader has one message.
    for (let attempt = 1; reader.messages.length === 0; attempt++) {
      await publisher.publish('update.request', BODY)
      await waitUntil(() => reader.messages.length > 0, 'delivery', 200).catch(() => {
        if (attempt === 50) throw new Error('no message reached the hub in 50 tries')
      })
    }
    const [message] = reader.messages
    await waitUntil(() => hub.stats().consumers.mutator!.errors >= 1, "the mutator's error")

    expect(attempts.length).toBeGreaterThan(0)
    expect(attempts.filter((attempt) => !attempt.threw)).toEqual([])
    expect(message!.body).toEqual(BODY)
    expect(message!.signer.name).toBe('bodhi')
    expect(message!.topic).toBe(topicOf('bodhi', 'update.request'))
    expect(hub.stats().consumers.reader).toMatchObject({ errors: 0 })
  })
})
