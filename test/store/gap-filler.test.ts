/**
 * GapFiller against real HTTP servers that misbehave: one that never answers (each request ends at timeout_ms,
 * counted, logged once per outage; gaps past max_pending are skipped, never queued without bound), and one
 * whose answer is larger than any honest one (refused while reading, counted).
 */
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import { afterEach, expect, it } from 'vitest'
import { GapFiller } from '../../src/hub/gap-fill/gap-filler.js'
import { waitUntil } from '../fixtures/wait-until.js'

const servers: Server[] = []
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
})

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function fillerFor(url: string, submitted: Buffer[]) {
  const lines: string[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
  const options = { url, maxMessages: 10, timeoutMs: 300, maxPending: 2, catchUp: false }
  const filler = new GapFiller(
    { ...options, maxAgeMs: 300_000, topicPrefix: 'org.example' },
    { logger, now: Date.now, maxEnvelopeBytes: 1000 },
    (_topic, envelope) => void submitted.push(envelope),
  )
  return { filler, lines }
}

const gap = (fromI: number) => ({ signer: 'bodhi', session: 's1', fromI, toI: fromI + 1 })

it('a store that never answers: each request times out, counted, one log line; gaps past max_pending skipped', async () => {
  const url = await serve(() => undefined)
  const submitted: Buffer[] = []
  const { filler, lines } = fillerFor(url, submitted)
  // The first is in flight at once; two wait; the fourth finds the queue full.
  for (const fromI of [2, 5, 8, 11]) filler.request(gap(fromI))
  await waitUntil(() => filler.stats().failures === 3, 'three requests to time out', 20_000)
  expect(filler.stats()).toMatchObject({ requests: 3, failures: 3, skipped: 1, fetched: 0 })
  expect(lines.filter((line) => line.includes('the store cannot be reached'))).toHaveLength(1)
  expect(submitted).toEqual([])
  await filler.close()
})

it('an answer larger than max_messages envelopes could be is refused while reading, counted', async () => {
  const url = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ messages: [{ topic: 't', envelope: 'x'.repeat(100_000) }] }))
  })
  const submitted: Buffer[] = []
  const { filler, lines } = fillerFor(url, submitted)
  filler.request(gap(2))
  await waitUntil(() => filler.stats().failures === 1, 'the oversize answer refused')
  expect(submitted).toEqual([])
  expect(lines.join('\n')).toContain('passed')
  await filler.close()
})

// With the defaults (max_messages 1000, max_message_bytes 1 MiB) "twice max_messages envelopes" is over 2 GiB:
// a compromised store could make the hub hold that much (and copy it) before refusing it.
it('a store that streams without end is cut off at a fixed ceiling, whatever max_messages × max_message_bytes allow', async () => {
  const chunk = Buffer.alloc(1024 * 1024, 0x20)
  let sent = 0
  const url = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    let stopped = false
    response.on('close', () => (stopped = true))
    const more = (): void => {
      while (!stopped && sent < 200 * chunk.length) {
        sent += chunk.length
        if (!response.write(chunk)) return void response.once('drain', more)
      }
      response.end()
    }
    more()
  })
  const lines: string[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
  const options = { url, maxMessages: 1000, timeoutMs: 120_000, maxPending: 2, catchUp: false }
  const submitted: Buffer[] = []
  const filler = new GapFiller(
    { ...options, maxAgeMs: 300_000, topicPrefix: 'org.example' },
    { logger, now: Date.now, maxEnvelopeBytes: 1024 * 1024 },
    (_topic, envelope) => void submitted.push(envelope),
  )
  filler.request(gap(2))
  await waitUntil(() => filler.stats().failures === 1, 'the endless answer refused', 120_000)
  expect(lines.join('\n')).toContain('passed')
  expect(sent).toBeLessThan(100 * chunk.length)
  expect(submitted).toEqual([])
  await filler.close()
}, 150_000)

it('a store that answers with a redirect is a failure: the hub never follows it elsewhere', async () => {
  let followed = 0
  const elsewhere = await serve((_request, response) => {
    followed += 1
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"messages":[]}')
  })
  const url = await serve((_request, response) => {
    response.writeHead(302, { location: `${elsewhere}/internal` }).end()
  })
  const submitted: Buffer[] = []
  const { filler } = fillerFor(url, submitted)
  filler.request(gap(2))
  await waitUntil(() => filler.stats().failures === 1 || followed > 0, 'the request to end')
  expect(followed).toBe(0)
  expect(filler.stats().failures).toBe(1)
  await filler.close()
})

it('a catch-up answer with topics outside topic_prefix: never submitted (the hub subscribes to <prefix>. only), counted unrequested', async () => {
  const url = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(
      JSON.stringify({
        messages: [
          { topic: 'org.other.prod.bodhi.update', envelope: '{"other":true}' },
          { topic: 'org.example', envelope: '{"bare":true}' },
          { topic: 'org.example.prod.bodhi.update', envelope: '{"ours":true}' },
        ],
      }),
    )
  })
  const submitted: Buffer[] = []
  const logger = pino({ level: 'silent' })
  const options = { url, maxMessages: 10, timeoutMs: 5000, maxPending: 2, catchUp: true }
  const filler = new GapFiller(
    { ...options, maxAgeMs: 300_000, topicPrefix: 'org.example' },
    { logger, now: Date.now, maxEnvelopeBytes: 1000 },
    (_topic, envelope) => void submitted.push(envelope),
  )
  filler.catchUp()
  await waitUntil(() => filler.stats().requests === 1 && submitted.length > 0, 'the catch-up')
  await filler.close()
  expect(submitted.map(String)).toEqual(['{"ours":true}'])
  expect(filler.stats()).toMatchObject({ fetched: 1, unrequested: 2 })
})

it('a gap_fill url with credentials given in code (not through the schema) is refused at start, the secret never quoted', async () => {
  const { resolveGapFillOptions } = await import('../../src/hub/gap-fill/gap-fill-options.js')
  const { devDefaults } = await import('../../src/config/dev-defaults.js')
  const { ConfigInvalid } = await import('../../src/errors.js')
  const config = { ...devDefaults(), gap_fill: { url: 'http://fedmsg:s3cret@127.0.0.1:8080' } }
  let thrown: unknown
  try {
    resolveGapFillOptions(config)
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(ConfigInvalid)
  expect((thrown as Error).message).not.toContain('s3cret')
  expect((thrown as InstanceType<typeof ConfigInvalid>).key).toBe('gap_fill')
})
