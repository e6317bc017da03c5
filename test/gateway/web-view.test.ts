/**
 * The web view on the bus `fedmsg demo` runs (issue 15 items 3 and 5), in headless Chromium:
 *
 *   demo services + forger -> relay -> demo hub --verify--> web gateway: /ws, /stats -> the page
 *
 * The page shows per-service rates and the hub's rejections by reason (GET /stats), and a page opened late
 * first shows the history, verified in the browser like live rows. `FEDMSG_SCREENSHOTS=1` refreshes
 * docs/images/busmon.png from this run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { REJECT_REASONS } from '../../src/errors.js'
import { httpGet } from '../cli/cli-bus.js'
import { assertBuilt, REPO, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { launchChromium } from '../fixtures/headless-chromium.js'

let dir: string
let demo: CliProcess
let page: string
let browser: Browser

beforeAll(async () => {
  assertBuilt('demo')
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-web-view-'))
  const http = `127.0.0.1:${await freePort()}`
  demo = startCli(['demo', '--rate', '10', '--http', http], { cwd: dir })
  await demo.line('stdout', (line) => line.startsWith(`web view: http://${http}/ `), 60_000)
  page = `http://${http}/`
  browser = await launchChromium()
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await demo?.kill()
  rmSync(dir, { recursive: true, force: true })
})

const verifiedTotal = async () =>
  Object.values(
    JSON.parse((await httpGet(`${page}stats`)).body).verifiedBySigner as Record<string, number>,
  ).reduce((sum, n) => sum + n, 0)

describe('the web view on the demo bus', () => {
  it('shows messages verified in the browser, rates by service, and the rejections by reason', async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await tab.goto(page)
    await tab.waitForSelector('#stream li[data-verified="true"]', { timeout: 30_000 })
    // Rates need two polls of /stats; the forger gets several kinds of forgery rejected within seconds.
    await tab.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLTableRowElement>('#rates tbody tr')].filter(
          (row) => Number(row.cells[1]!.textContent) > 0,
        ).length >= 3 && document.querySelectorAll('#rejections tbody tr[data-reason]').length >= 2,
      undefined,
      { timeout: 60_000 },
    )
    const services = await tab
      .locator('#rates tbody tr')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.service))
    expect(services).toEqual(expect.arrayContaining(['bodhi', 'koji']))
    expect(services).not.toContain('demo-forger')
    const rejections = await tab
      .locator('#rejections tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [
          (row as HTMLElement).dataset.reason,
          (row as HTMLTableRowElement).cells[1]!.textContent,
        ]),
      )
    for (const [reason, count] of rejections) {
      expect(REJECT_REASONS).toContain(reason)
      expect(Number(count)).toBeGreaterThan(0)
    }
    await tab.locator('#stream li[data-verified="true"]').first().click()
    const shot = await tab.screenshot()
    // docs/images/busmon.png is refreshed on request only, so that a test run leaves the tree clean.
    if (process.env.FEDMSG_SCREENSHOTS === '1') {
      writeFileSync(join(REPO, 'docs', 'images', 'busmon.png'), shot)
    }
    await tab.close()
  })

  it('a page opened later first shows the history, each row verified in the browser', async () => {
    const deadline = Date.now() + 60_000
    while ((await verifiedTotal()) < 20) {
      if (Date.now() > deadline) throw new Error('the demo verified fewer than 20 messages')
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const tab = await browser.newPage()
    await tab.goto(page)
    await tab.waitForSelector('#stream li[data-history="true"]', { timeout: 30_000 })
    expect(await tab.textContent('#history')).toMatch(/^history: ([1-9]\d*) from memory$/)
    const marks = await tab
      .locator('#stream li[data-history="true"]')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.verified))
    expect(marks.length).toBeGreaterThanOrEqual(10)
    expect(new Set(marks)).toEqual(new Set(['true']))
    await tab.close()
  })
})
