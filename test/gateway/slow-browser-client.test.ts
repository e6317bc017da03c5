/**
 * Issue 15 item 4: a slow WebSocket client in a real browser is cut off while the others continue.
 *
 *   forward(topic, envelope) -> web gateway /ws -> tab "fast"  (Chromium, pattern org.fedoraproject.dev.marker.>)
 *                                              -X tab "slow"  (Chromium, pattern >, its renderer blocked)
 *
 * The slow tab's renderer is held in a synchronous XMLHttpRequest to a server here that does not answer:
 * it reads nothing, so Chromium stops reading its socket, the gateway's queue for it passes
 * maxBufferedBytes, and the gateway drops it (close code 4000 and the socket destroyed, counted
 * `droppedSlow`). The fast tab, in another browser context (another renderer process), keeps showing
 * verified messages.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { pino } from 'pino'
import { devDefaults } from '../../src/config/dev-defaults.js'
import { startWebGateway, type WebGateway } from '../../src/gateway/web-gateway.js'
import { createMetricsRegistry } from '../../src/metrics/metrics-registry.js'
import { signerFromConfig } from '../../src/publisher/signer-from-config.js'
import { emptyRejectCounts } from '../../src/verification/reject-counts.js'
import { launchChromium } from '../fixtures/headless-chromium.js'

const MAX_BUFFERED = 256 * 1024
const BULK = 'org.fedoraproject.dev.bodhi.bulk'
const MARKER = 'org.fedoraproject.dev.marker.tick'
const config = devDefaults()
const signer = signerFromConfig(config, 'bodhi')
let sequence = 0
const sign = (topic: string, msg: Record<string, unknown>) =>
  signer.sign({ topic, msg, i: ++sequence }).frame.toString('utf8')

let web: WebGateway
let browser: Browser
let hold: Server
const held: ServerResponse[] = []
let holdRequested: Promise<unknown>

beforeAll(async () => {
  web = await startWebGateway({
    host: '127.0.0.1',
    port: 0,
    limits: { maxBufferedBytes: MAX_BUFFERED },
    trustAnchorsPem: config.trust.map((file) => readFileSync(file, 'utf8')).join('\n'),
    registry: createMetricsRegistry(),
    rejected: emptyRejectCounts,
    healthy: () => true,
    logger: pino({ level: 'silent' }),
  })
  hold = createServer((_: IncomingMessage, response: ServerResponse) => {
    response.setHeader('access-control-allow-origin', '*')
    held.push(response)
  })
  holdRequested = once(hold, 'request')
  hold.listen(0, '127.0.0.1')
  await once(hold, 'listening')
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  for (const response of held) response.end()
  await browser?.close()
  await web?.close()
  await new Promise((resolve) => hold?.close(resolve))
})

async function openPage(pattern: string): Promise<Page> {
  const tab = await (await browser.newContext()).newPage()
  await tab.goto(web.url)
  if (pattern !== '>') {
    await tab.fill('#topic', pattern)
    await tab.dispatchEvent('#topic', 'change')
  }
  return tab
}

/** Sends markers until `tab` shows one verified: its subscription has reached the gateway. */
async function untilSubscribed(tab: Page): Promise<void> {
  const deadline = Date.now() + 30_000
  while ((await tab.locator(`#stream li[data-topic="${MARKER}"]`).count()) === 0) {
    if (Date.now() > deadline) throw new Error('the page never showed a marker')
    web.ws.forward(MARKER, sign(MARKER, { tick: 'probe' }))
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

describe('a slow browser client', () => {
  it('is dropped (4000, counted) once its queue passes maxBufferedBytes; the other tab keeps receiving', async () => {
    const fast = await openPage('org.fedoraproject.dev.marker.>')
    const slow = await openPage('>')
    await untilSubscribed(fast)
    await untilSubscribed(slow)
    const holdUrl = `http://127.0.0.1:${(hold.address() as AddressInfo).port}/hold`
    // Blocks the slow tab's renderer (after evaluate returns) until the server here answers.
    await slow.evaluate((url) => {
      setTimeout(() => {
        const request = new XMLHttpRequest()
        request.open('GET', url, false)
        request.send()
      })
    }, holdUrl)
    await holdRequested
    const bulk = sign(BULK, { pad: 'x'.repeat(60 * 1024) })
    const deadline = Date.now() + 90_000
    let markers = 0
    for (let n = 0; web.ws.stats().droppedSlow === 0; n++) {
      if (Date.now() > deadline) throw new Error('the slow tab was never dropped')
      web.ws.forward(BULK, bulk)
      if (n % 20 === 0) web.ws.forward(MARKER, sign(MARKER, { tick: ++markers }))
      // Let the event loop move bytes, as a live bus would between messages.
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(web.ws.stats()).toMatchObject({ droppedSlow: 1, clients: 1 })
    for (let after = 0; after < 3; after++) {
      web.ws.forward(MARKER, sign(MARKER, { tick: ++markers, after }))
    }
    await fast.waitForFunction(
      (count) => document.querySelectorAll('#stream li[data-verified="true"]').length >= count,
      markers + 1,
      { timeout: 30_000 },
    )
    expect(await fast.locator('#stream li[data-verified="false"]').count()).toBe(0)
    expect(await fast.textContent('#status')).toBe('live')
    for (const response of held.splice(0)) response.end()
    // The 4000 close frame waits behind bytes the tab never read, and the gateway destroys the socket at
    // once: the browser sees the connection cut (1006), not the close frame.
    await slow.waitForFunction(
      () => document.getElementById('status')!.textContent!.startsWith('disconnected'),
      undefined,
      { timeout: 30_000 },
    )
    expect(await slow.textContent('#status')).toBe('disconnected (1006)')
  })
})
