/**
 * `fedmsg demo`: relay, hub, five services and a forger in one process on the bundled dev CA, ports picked
 * free by ZeroMQ. The output is the contract: verified lines per service, rejection counts, a summary.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
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

describe('fedmsg demo', () => {
  it('--duration 3: exit 0, verified traffic from several services, forgeries rejected by reason', async () => {
    const run = await runCli(['demo', '--duration', '3'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('BUNDLED DEV CA')
    expect(run.stdout).toContain('private keys are PUBLIC')
    expect(verifiedSigners(run.stdout).size).toBeGreaterThanOrEqual(4)
    expect(run.stdout).toMatch(/rejected so far: .*malformed \d/)
    const counts = rejectedCounts(run.stdout)
    for (const reason of ['bad_signature', 'malformed', 'replay', 'policy_denied']) {
      expect(counts[reason], reason).toBeGreaterThanOrEqual(1)
    }
    expect(run.stdout).toMatch(/^forger +sent \d+, none got through/m)
    expect(run.stdout).not.toMatch(/✔ demo-forger/)
  })

  it('Ctrl-C (SIGINT) stops everything cleanly: summary printed, exit 0', async () => {
    const demo = startCli(['demo', '--rate', '10'], { cwd: dir })
    children.push(demo)
    await demo.line('stdout', (line) => line.includes('rejected so far: '))
    demo.child.kill('SIGINT')
    expect(await demo.exited).toBe(0)
    expect(demo.stdout.join('\n')).toMatch(/── summary after [\d.]+ s ──/)
    expect(demo.stderr).toEqual([])
  })
})
