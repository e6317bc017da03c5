/**
 * fedmsg logger DEALER -> fedmsg relay ROUTER --verify--> PUB -> fedmsg gateway (a hub) SUB --verify-->
 *   public PUB (frames unchanged) -> a ZeroMQ SUB here
 *   /ws -> a ws client here, and the web view in headless Chromium (verifies each envelope itself)
 *                                  PUB -> fedmsg store -> SQLite -> the gateway's history answers
 *
 * Real processes on the bundled dev CA. The gateway's subscription settles asynchronously: probe messages go
 * through the real path until the gateway forwarded one (test/cli/logger-tail.test.ts explains why).
 */
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Subscriber } from 'zeromq'
import type { Browser } from 'playwright-core'
import { httpGet, makeCliBus, metric, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, runCli, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { launchChromium } from '../fixtures/headless-chromium.js'

let bus: CliBus
let file: string
let page: string
let publicAddress: string
let browser: Browser
const children: CliProcess[] = []
const received: { topic: string; envelope: string }[] = []
let wsClient: WebSocket
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

const logger = (args: readonly string[]) =>
  runCli(['logger', '--config', file, ...args], { cwd: bus.dir })

async function untilForwarded(count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (let probe = 1; received.length < count; probe++) {
    expect((await logger(['--topic', 'probe', '--message', `p${probe}`])).code).toBe(0)
    const waitUntil = Math.min(deadline, Date.now() + 2000)
    while (received.length < count && Date.now() < waitUntil) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    if (Date.now() >= deadline) throw new Error('the gateway forwarded nothing')
  }
}

beforeAll(async () => {
  for (const command of ['relay', 'logger', 'store', 'gateway']) assertBuilt(command)
  bus = makeCliBus(['logger'])
  const [inbound, outbound] = [await tcp(), await tcp()]
  publicAddress = await tcp()
  file = bus.writeConfig('bus', {
    relay_inbound: inbound,
    relay_outbound: outbound,
    store: { db: 'sqlite:fedmsg.db' },
  })
  const relay = startCli(['relay', '--config', file], { cwd: bus.dir })
  children.push(relay)
  await relay.line('stderr', (line) => line.includes('"relay started"'))
  const store = startCli(['store', '--config', file], { cwd: bus.dir })
  children.push(store)
  await store.line('stderr', (line) => line.includes('"store started"'))
  const http = `127.0.0.1:${await freePort()}`
  const gateway = startCli(
    ['gateway', '--config', file, '--http', http, '--public', publicAddress],
    {
      cwd: bus.dir,
    },
  )
  children.push(gateway)
  await gateway.line('stderr', (line) => line.includes('"gateway started"'))
  page = `http://${http}/`
  wsClient = new WebSocket(`ws://${http}/ws`)
  await once(wsClient, 'open')
  wsClient.on('message', (data) => {
    const frame = JSON.parse(data.toString())
    if (frame.type === 'message') received.push(frame)
  })
  wsClient.send(JSON.stringify({ op: 'subscribe', patterns: ['>'] }))
  await untilForwarded(1, 30_000)
  browser = await launchChromium()
}, 90_000)

afterAll(async () => {
  wsClient?.terminate()
  await browser?.close()
  await Promise.all(children.splice(0).map((child) => child.kill()))
  bus?.cleanup()
})

describe('fedmsg gateway on a real bus', () => {
  it('forwards the verified envelope unchanged on the public PUB and over WebSocket', async () => {
    const sub = new Subscriber({ receiveTimeout: 2000 })
    sub.connect(publicAddress)
    sub.subscribe('')
    try {
      let frames: Buffer[] | undefined
      for (let attempt = 0; frames === undefined && attempt < 15; attempt++) {
        const before = received.length
        await logger(['--topic', 'comment', '--message', `public ${attempt}`])
        try {
          frames = (await sub.receive()) as Buffer[]
        } catch {
          // The SUB's subscription may not have reached the PUB yet (ZeroMQ slow joiner): send again.
        }
        while (received.length === before) await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(frames).toHaveLength(2)
      const text = frames![1]!.toString('utf8')
      const viaWs = received.find((m) => m.envelope === text)
      expect(viaWs?.topic).toBe(frames![0]!.toString('utf8'))
      expect(JSON.parse(text).v).toBe('fedmsg/1')
    } finally {
      sub.close()
    }
  })

  it('answers /healthz and counts its clients in /metrics', async () => {
    expect((await httpGet(`${page}healthz`)).status).toBe(200)
    const metrics = (await httpGet(`${page}metrics`)).body
    expect(metric(metrics, 'fedmsg_gateway_ws_clients')).toBeGreaterThanOrEqual(1)
    expect(metric(metrics, 'fedmsg_gateway_ws_frames_sent_total')).toBeGreaterThan(0)
    // The store's rows are the bus's own: each history row verifies again.
    expect(metric(metrics, 'fedmsg_gateway_history_refused_total')).toBe(0)
  })

  it('web view: rows verified in the browser; a tampered envelope injected past the gateway shows failed', async () => {
    const context = await browser.newContext()
    const tab = await context.newPage()
    // Between the gateway and the page: the first live message has its body altered, as a compromised
    // proxy would. The browser verifier, not the server, must catch it.
    let tampered = false
    await tab.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer()
      server.onMessage((message) => {
        const frame = JSON.parse(String(message))
        if (frame.type === 'message' && !tampered) {
          tampered = true
          frame.envelope = frame.envelope.replace('"msg":{', '"msg":{"injected":true,')
          return ws.send(JSON.stringify(frame))
        }
        ws.send(message)
      })
    })
    await tab.goto(page)
    await tab.waitForSelector('#stream li[data-verified="true"]', { timeout: 20_000 })
    await logger(['--topic', 'comment', '--message', 'for the tamper test'])
    await tab.waitForSelector('#stream li[data-verified="false"]', { timeout: 20_000 })
    const failed = tab.locator('#stream li[data-verified="false"]').first()
    expect(await failed.textContent()).toContain('bad_signature')
    const verified = tab.locator('#stream li[data-verified="true"]').first()
    expect(await verified.getAttribute('data-msg-id')).toMatch(/^\d{4}-[0-9a-f-]{36}$/)
    await verified.click()
    expect(await tab.locator('#detail').textContent()).toContain('Verified in this browseryes')
    await context.close()
  })

  it('web view: the topic filter shows only matching topics', async () => {
    const tab = await browser.newPage()
    await tab.goto(page)
    await tab.fill('#topic', 'org.fedoraproject.*.logger.comment')
    await tab.dispatchEvent('#topic', 'change')
    await logger(['--topic', 'comment', '--message', 'filtered in'])
    await logger(['--topic', 'probe', '--message', 'filtered out'])
    await tab.waitForSelector('#stream li[data-verified="true"]', { timeout: 20_000 })
    const topics = await tab
      .locator('#stream li')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.topic))
    expect(topics.length).toBeGreaterThan(0)
    expect(topics.every((topic) => topic!.endsWith('.logger.comment'))).toBe(true)
    await tab.close()
  })

  it('web view: with a store configured, the history comes from the store, verified in the browser', async () => {
    await logger(['--topic', 'comment', '--message', 'stored before the page opened'])
    // The store writes in batches: ask the gateway until its store answers with the message.
    const deadline = Date.now() + 30_000
    for (;;) {
      const reply = await historyReply('org.fedoraproject.*.logger.comment')
      if (reply.source === 'store' && reply.messages.length > 0) break
      if (Date.now() > deadline)
        throw new Error(`no history from the store: ${JSON.stringify(reply)}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const tab = await browser.newPage()
    await tab.goto(page)
    await tab.waitForSelector('#stream li[data-history="true"][data-verified="true"]', {
      timeout: 20_000,
    })
    expect(await tab.textContent('#history')).toMatch(/^history: [1-9]\d* from store$/)
    expect(
      await tab.locator('#stream li[data-history="true"][data-verified="false"]').count(),
    ).toBe(0)
    await tab.close()
  })
})

describe('fedmsg gateway with a store URL that can never work', () => {
  it('exits 2 at start naming store.db, never echoing the URL (it may hold a password)', async () => {
    const bad = bus.writeConfig('bad-store', { store: { db: 'mysql://fedmsg:s3cret@db/fedmsg' } })
    const run = await runCli(['gateway', '--config', bad, '--http', '127.0.0.1:0'], {
      cwd: bus.dir,
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('store.db')
    expect(run.stderr + run.stdout).not.toContain('s3cret')
  })
})

/** One `history` request on a connection of its own, and the gateway's answer. */
async function historyReply(pattern: string): Promise<{ source: string; messages: unknown[] }> {
  const client = new WebSocket(page.replace(/^http/, 'ws') + 'ws')
  try {
    await once(client, 'open')
    client.send(JSON.stringify({ op: 'history', pattern, limit: 10 }))
    const [data] = await once(client, 'message')
    return JSON.parse(String(data))
  } finally {
    client.terminate()
  }
}
