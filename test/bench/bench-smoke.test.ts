/**
 * Keeps the benchmark harness from rotting: its fastest benchmark, and the multi-process ones that are quick in
 * quick mode (child processes, sockets, a hub), must run from the built package and print the table
 * `npm run bench` prints (bench/README.md). Needs `dist/`, as `npm test` builds it first.
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
/** The multi-process benchmarks that are quick in quick mode (relay takes about 8 s, so it is left out). */
let processes: { stdout: string; report: { rows: Record<string, unknown>[] } }
/** The gateway fan-out, quick mode: 100 clients a side. */
let fanout: { rows: Record<string, unknown>[] }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-bench-'))
  const json = join(dir, 'processes.json')
  const [wire, multi] = await Promise.all([
    run(
      process.execPath,
      [RUN_JS, '--quick', '--only', 'wire', '--json', join(dir, 'bench.json')],
      {
        timeout: 60_000,
      },
    ),
    run(process.execPath, [RUN_JS, '--quick', '--only', 'latency,memory', '--json', json], {
      timeout: 60_000,
    }),
  ])
  stdout = wire.stdout
  processes = { stdout: multi.stdout, report: JSON.parse(readFileSync(json, 'utf8')) }
  const gateway = join(dir, 'gateway.json')
  await run(process.execPath, [RUN_JS, '--quick', '--only', 'gateway', '--json', gateway], {
    timeout: 60_000,
  })
  fanout = JSON.parse(readFileSync(gateway, 'utf8'))
}, 150_000)

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

describe('npm run bench -- --quick --only latency,memory', () => {
  it('prints p50, p99 and max at both rates, each against bare ZeroMQ plus one bare verify', () => {
    const lines = processes.stdout.split('\n').filter((line) => line.startsWith('latency '))
    expect(lines).toHaveLength(6)
    for (const line of lines) {
      expect(line).toMatch(
        /^latency (p50|p99|max)\s+ES256\s+1 KB\s+[\d,]+ µs\s+[\d,]+ µs\s+PUB\/SUB\+verify\s+\d+\.\d\d\s.*at [\d,]+\/s.*bare verify \d+ µs/,
      )
    }
  })

  it('gives p50 and p99 at 1,000/s their goals of issue 18', () => {
    const goals = processes.report.rows
      .filter((row) => String(row.figure).startsWith('latency') && row.ceiling !== undefined)
      .map((row) => [row.figure, row.ceiling])
    expect(goals).toEqual([
      ['latency p50', 2],
      ['latency p99', 3],
    ])
  })

  it('prints the RSS growth of both memory figures against their bound', () => {
    const rows = processes.report.rows.filter((row) => row.unit === 'MB')
    expect(rows.map((row) => [row.figure, row.baseline, row.ceiling])).toEqual([
      ['rss slow', 100, 1],
      ['rss forged', 50, 1],
    ])
    expect(processes.stdout).toMatch(/^rss forged\s.*<= 1\.00 (met|MISSED); 1,000 bad signatures/m)
  })
})

describe('npm run bench -- --quick --only gateway', () => {
  it('prints the fan-out rate, p99 latency and peak RSS of the gateway against a bare ws broadcast', () => {
    expect(fanout.rows.map((row) => [row.figure, row.unit, row.baselineName])).toEqual([
      ['fanout', 'ops/s', 'bare ws'],
      ['fanout p99', 'µs', 'bare ws'],
      ['fanout rss', 'MB', 'bare ws'],
    ])
    for (const row of fanout.rows) {
      expect(row.value).toBeGreaterThan(0)
      expect(row.ratio).toBeCloseTo((row.value as number) / (row.baseline as number), 10)
    }
  })
})
