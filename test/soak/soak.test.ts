/**
 * The soak under faults (issue 12 item 6), short: about a minute here; `npm run soak -- --minutes N` runs the
 * same for N minutes and prints the report (docs/threat-model.md, "Soak under faults").
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt } from '../cli/cli-process.js'
import { runSoak } from './run-soak.js'

const MINUTES = Number(process.env.FEDMSG_SOAK_MINUTES ?? 0.75)
const CLOCK_AHEAD_SECONDS = Number(process.env.FEDMSG_SOAK_CLOCK_AHEAD ?? 0)
let dir: string

beforeAll(() => {
  for (const command of ['hub', 'relay']) assertBuilt(command)
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-soak-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('soak under faults', () => {
  it(
    'loses no acknowledged message, dispatches no duplicate and no forgery',
    { timeout: MINUTES * 60_000 + 180_000 },
    async () => {
      const { verdict, report } = await runSoak({
        minutes: MINUTES,
        dir,
        sampleMs: MINUTES <= 1 ? 1_000 : 5_000,
        clockAheadSeconds: CLOCK_AHEAD_SECONDS,
      })
      process.stdout.write(`${report}\n`)
      expect(verdict.acknowledged).toBeGreaterThan(0)
      expect(verdict).toMatchObject({
        acknowledgedButLost: 0,
        duplicatesDispatched: 0,
        forgedDispatched: 0,
      })
    },
  )
})
