/**
 * `fedmsg demo`: relay, hub, five services and a forger in one process on the bundled dev CA, ports picked
 * free by ZeroMQ. The output is the contract: verified lines per service, rejection counts, a summary.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { httpGet } from './cli-bus.js'
import { assertBuilt, runCli, startCli, type CliProcess } from './cli-process.js'

let dir: string
const children: CliProcess[] = []
beforeAll(() => {
  assertBuilt('demo')
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-demo-'))
})
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `reason N` counts of the summary's "rejected" line. */
function rejectedCounts(stdout: string): Record<string, number> {
  const line = stdout.split('\n').find((l) => l.startsWith('rejected '))
  return Object.fromEntries(
    [...(line ?? '').matchAll(/([a-z_]+) (\d+)/g)].map(([, reason, n]) => [reason, Number(n)]),
  )
}

/** Signers of the verified-traffic lines (`HH:MM:SS.mmm  ✔ signer  topic  summary`). */
const verifiedSigners = (stdout: string) =>
  new Set(
    [...stdout.matchAll(/^[\d:.]+ {2}✔ (\S+) +org\.fedoraproject\.dev\.\1\./gm)].map(([, s]) => s),
  )

/** A forgery's line: `HH:MM:SS.mmm  ✘ reason  forger sent …` (issue #11 item 12). */
const FORGERY_LINE = /^[\d:.]+ {2}✘ ([a-z_]+) +forger sent \S/

describe('fedmsg demo', () => {
  it('--duration 3: exit 0, verified traffic from several services, forgeries rejected by reason', async () => {
    const run = await runCli(['demo', '--duration', '3'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('BUNDLED DEV CA')
    expect(run.stdout).toContain('private keys are PUBLIC')
    expect(verifiedSigners(run.stdout).size).toBeGreaterThanOrEqual(4)
    const counts = rejectedCounts(run.stdout)
    for (const reason of ['bad_signature', 'malformed', 'replay', 'policy_denied']) {
      expect(counts[reason], reason).toBeGreaterThanOrEqual(1)
    }
    expect(run.stdout).toMatch(/^forger +sent \d+, none got through/m)
    expect(run.stdout).not.toMatch(/✔ demo-forger/)
  })

  it('prints each forgery on its own line with the reason it was rejected with, lines in time order', async () => {
    const run = await runCli(['demo', '--duration', '4'], { cwd: dir })
    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    const forgeries = lines.flatMap((line) => FORGERY_LINE.exec(line)?.[1] ?? [])
    const sent = Number(/^forger +sent (\d+),/m.exec(run.stdout)?.[1])
    expect(forgeries).toHaveLength(sent)
    const REASONS = ['malformed', 'policy_denied', 'bad_signature', 'replay', 'stale']
    for (const reason of forgeries) expect(REASONS).toContain(reason)
    expect(new Set(forgeries).size).toBeGreaterThanOrEqual(3)
    const times = lines.flatMap((line) => /^(\d\d:\d\d:\d\d\.\d{3}) {2}/.exec(line)?.[1] ?? [])
    expect(times.length).toBeGreaterThan(sent)
    expect(times).toEqual([...times].sort())
  })

  it('Ctrl-C (SIGINT) stops everything cleanly: summary printed, exit 0', async () => {
    const demo = startCli(['demo', '--rate', '10'], { cwd: dir })
    children.push(demo)
    await demo.line('stdout', (line) => FORGERY_LINE.test(line))
    demo.child.kill('SIGINT')
    expect(await demo.exited).toBe(0)
    expect(demo.stdout.join('\n')).toMatch(/── summary after [\d.]+ s ──/)
    expect(demo.stderr).toEqual([])
  })

  it("prints the web view's URL: it serves the page, and its /ws delivers the demo's verified messages", async () => {
    const demo = startCli(['demo', '--rate', '20'], { cwd: dir })
    children.push(demo)
    const url = /^web view: (http:\/\/127\.0\.0\.1:\d+\/) /.exec(
      await demo.line('stdout', (line) => line.startsWith('web view: '), 30_000),
    )![1]!
    const page = await httpGet(url)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>fedmsg busmon</title>')
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}ws`)
    try {
      await once(ws, 'open')
      ws.send(JSON.stringify({ op: 'subscribe', patterns: ['org.fedoraproject.dev.>'] }))
      const message = await new Promise<{ topic: string; envelope: string }>((resolve) =>
        ws.on('message', (data) => {
          const frame = JSON.parse(String(data))
          if (frame.type === 'message') resolve(frame)
        }),
      )
      expect(message.topic).toMatch(/^org\.fedoraproject\.dev\.[a-z]+\./)
      expect(JSON.parse(message.envelope)).toMatchObject({ v: 'fedmsg/1', topic: message.topic })
    } finally {
      ws.terminate()
    }
    const stats = JSON.parse((await httpGet(`${url}stats`)).body)
    expect(Object.keys(stats.verifiedBySigner).length).toBeGreaterThanOrEqual(1)
    expect(Object.keys(stats.rejected)).toContain('bad_signature')
    demo.child.kill('SIGINT')
    expect(await demo.exited).toBe(0)
    expect(demo.stderr).toEqual([])
  })
})
