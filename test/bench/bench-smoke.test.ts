/**
 * Keeps the benchmark harness from rotting: its fastest benchmark must run from the built package and print
 * the table `npm run bench` prints (bench/README.md). Needs `dist/`, as `npm test` builds it first.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const RUN_JS = fileURLToPath(new URL('../../bench/run.js', import.meta.url))

let dir: string
let stdout: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-bench-'))
  ;({ stdout } = await run(
    process.execPath,
    [RUN_JS, '--quick', '--only', 'wire', '--json', join(dir, 'bench.json')],
    { timeout: 60_000 },
  ))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('npm run bench -- --quick --only wire', () => {
  it('prints a table header with the ratio column', () => {
    expect(stdout).toMatch(/^figure\s+alg\s+payload\s+fedmsg\s+baseline\s+of\s+ratio\b/m)
  })

  it('prints one line per algorithm and chain length, each with its baseline and ratio', () => {
    const lines = stdout.split('\n').filter((line) => line.startsWith('wire '))
    expect(lines).toHaveLength(6)
    for (const line of lines) {
      expect(line).toMatch(
        /^wire x5c=[12]\s+(ES256|EdDSA|PS256)\s+1 KB\s+[\d,]+ B\s+[\d,]+ B\s+body\s+\d+\.\d\d\s/,
      )
    }
  })

  it('writes the same rows as JSON with --json', () => {
    const report = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8'))
    expect(report.mode).toBe('quick')
    expect(report.rows).toHaveLength(6)
    for (const row of report.rows) {
      expect(row.ratio).toBeCloseTo(row.value / row.baseline, 10)
      expect(row.value).toBeGreaterThan(row.baseline)
    }
  })
})
