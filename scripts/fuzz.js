// @ts-check
/**
 * `npm run fuzz [-- --runs N] [-- --seed S]`: runs every fuzz property (test/fuzz) N times (default 150 000:
 * seven properties, 1 050 000 inputs), then prints how many inputs were verified, the verdicts by reason, and
 * the time taken. Exit 0 only when every property held: no input made the verifier throw, and no mutant, forged
 * or random input was accepted (each property asserts both). It takes a while and both cores; run it niced.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '150000' }, seed: { type: 'string' } },
})
const runs = Number(values.runs)
if (!Number.isSafeInteger(runs) || runs < 1) {
  process.stderr.write('fuzz: --runs must be a whole number of at least 1\n')
  process.exit(2)
}

const dir = mkdtempSync(join(tmpdir(), 'fedmsg-fuzz-'))
const tallyFile = join(dir, 'tally.jsonl')
const started = process.hrtime.bigint()
// The canonical-JSON differential properties have their own script (`npm run fuzz:canonical`, 1,000,000 runs).
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', 'test/fuzz', '--exclude', 'test/fuzz/canonical-*.test.ts'],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      FEDMSG_FUZZ_RUNS: String(runs),
      FEDMSG_FUZZ_TALLY: tallyFile,
      ...(values.seed === undefined ? {} : { FEDMSG_FUZZ_SEED: values.seed }),
    },
  },
)
const seconds = Number(process.hrtime.bigint() - started) / 1e9

/** @type {{ file: string, inputs: number, honestAccepted: number, reasons: Record<string, number> }[]} */
let files = []
try {
  files = readFileSync(tallyFile, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
} catch {
  // No tally: vitest failed before any file finished; its exit code says so below.
}
rmSync(dir, { recursive: true, force: true })

const inputs = files.reduce((sum, file) => sum + file.inputs, 0)
/** @type {Record<string, number>} */
const reasons = {}
for (const file of files) {
  for (const [reason, count] of Object.entries(file.reasons))
    reasons[reason] = (reasons[reason] ?? 0) + count
}
const held = vitest.status === 0
const lines = [
  '',
  `fuzz: ${inputs.toLocaleString('en')} inputs in ${seconds.toFixed(0)} s (${runs.toLocaleString('en')} runs per property)`,
  ...files.map(
    (file) => `  ${file.file.padEnd(20)} ${file.inputs.toLocaleString('en').padStart(10)}`,
  ),
  `  rejected by reason: ${Object.entries(reasons)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${reason} ${count.toLocaleString('en')}`)
    .join(', ')}`,
  `  accepted, each an honestly signed or unmutated input (the properties check it): ${files.reduce((sum, file) => sum + file.honestAccepted, 0)}`,
  held
    ? '  crashes 0, accepted mutants 0: every property held'
    : `  a property FAILED (vitest exit ${vitest.status}): see the counterexample and seed above`,
]
process.stdout.write(`${lines.join('\n')}\n`)
process.exitCode = held ? 0 : 1
