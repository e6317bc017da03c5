/**
 * WebhookTarget -> POST -> a real node:http server on 127.0.0.1 that answers as each case needs: fast, slow,
 * failing, refusing, or cutting the connection mid-response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveWebhookTarget } from '../../src/consumers/webhook/webhook-options.js'
import { WebhookTarget } from '../../src/consumers/webhook/webhook-target.js'
import { waitUntil } from '../fixtures/wait-until.js'

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void
const servers: Server[] = []
const targets: WebhookTarget[] = []
const log = pino({ level: 'silent' })

/** A receiver that records each request body and answers with `handler` (n counts requests from 1). */
async function receiver(handler: Handler) {
  const bodies: string[] = []
  let n = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'))
      n += 1
      handler(req, res, n)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}/hook`, bodies, count: () => n }
}
const target = (url: string, options: Record<string, number> = {}) => {
  const t = new WebhookTarget(
    resolveWebhookTarget({ url, topics: ['>'], backoffMinMs: 20, backoffMaxMs: 100, ...options }),
    log,
  )
  targets.push(t)
  return t
}
afterEach(async () => {
  targets.splice(0).forEach((t) => t.close())
  await Promise.all(
    servers
      .splice(0)
      .map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))),
  )
})

describe('WebhookTarget against a real HTTP server', () => {
  it('delivers each body unchanged, as JSON', async () => {
    const r = await receiver((_req, res) => res.writeHead(204).end())
    const t = target(r.url)
    t.offer('{"a":1}')
    t.offer('{"b":"é"}')
    await t.drain()
    expect(r.bodies.sort()).toEqual(['{"a":1}', '{"b":"é"}'])
    expect(t.stats()).toMatchObject({ delivered: 2, retries: 0, deadLettered: 0, dropped: 0 })
  })

  it('a failing server (503 twice) is retried with backoff until it answers 200', async () => {
    const r = await receiver((_req, res, n) => res.writeHead(n <= 2 ? 503 : 200).end())
    const t = target(r.url)
    t.offer('{}')
    await t.drain()
    expect(r.count()).toBe(3)
    expect(t.stats()).toMatchObject({ delivered: 1, retries: 2, deadLettered: 0 })
  })

  it('a slow server hits the timeout, then counts as dead-lettered once the retries are spent', async () => {
    const r = await receiver((_req, res) => setTimeout(() => res.writeHead(200).end(), 2000))
    const t = target(r.url, { timeoutMs: 100, retries: 1 })
    t.offer('{}')
    await t.drain()
    expect(r.count()).toBe(2)
    expect(t.stats()).toMatchObject({ delivered: 0, retries: 1, deadLettered: 1 })
  })

  it('a server that disconnects mid-response is a failure, retried', async () => {
    const r = await receiver((_req, res, n) => {
      if (n > 1) {
        res.writeHead(200).end('ok')
        return
      }
      res.writeHead(200, { 'content-length': '1000' })
      res.write('partial')
      setTimeout(() => res.socket?.destroy(), 50)
    })
    const t = target(r.url)
    t.offer('{}')
    await t.drain()
    expect(r.count()).toBe(2)
    expect(t.stats()).toMatchObject({ delivered: 1, retries: 1, deadLettered: 0 })
  })

  it('a 4xx refusal is dead-lettered at once (retrying would repeat it)', async () => {
    const r = await receiver((_req, res) => res.writeHead(422).end())
    const t = target(r.url)
    t.offer('{}')
    await t.drain()
    expect(r.count()).toBe(1)
    expect(t.stats()).toMatchObject({ delivered: 0, retries: 0, deadLettered: 1 })
  })

  it('an unreachable server is retried, then dead-lettered; nothing throws', async () => {
    const r = await receiver((_req, res) => res.end())
    const url = r.url
    await new Promise((resolve) => servers.pop()!.close(resolve))
    const t = target(url, { retries: 2 })
    t.offer('{}')
    await t.drain()
    expect(t.stats()).toMatchObject({ delivered: 0, retries: 2, deadLettered: 1 })
  })

  it('concurrency bounds the POSTs in flight and the queue bounds the rest; overflow is dropped', async () => {
    const open: ServerResponse[] = []
    let most = 0
    const r = await receiver((_req, res) => {
      open.push(res)
      most = Math.max(most, open.length)
    })
    const t = target(r.url, { concurrency: 2, queueSize: 3 })
    const accepted = Array.from({ length: 10 }, (_, i) => t.offer(`{"n":${i}}`))
    await waitUntil(() => open.length === 2, 'two POSTs in flight')
    expect(accepted.filter(Boolean)).toHaveLength(5)
    expect(t.stats()).toMatchObject({ inFlight: 2, queueDepth: 3, dropped: 5 })
    // Answers each request as it arrives from now on.
    const answer = setInterval(() => open.splice(0).forEach((res) => res.end()), 10)
    await t.drain()
    clearInterval(answer)
    expect(most).toBe(2)
    expect(t.stats()).toMatchObject({ delivered: 5, dropped: 5, queueDepth: 0 })
  })
})
