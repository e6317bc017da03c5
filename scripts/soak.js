// @ts-check
/**
 * `npm run soak -- --minutes N [--clock-ahead S]`: the soak under faults (test/soak/run-soak.ts) for N minutes
 * (default 60): publishers at half the measured capacity through a relay into a hub, while the CRLs are swapped,
 * a service revoked, the relay restarted and the hub SIGKILLed on a schedule. Prints acknowledged-but-lost,
 * duplicates dispatched, forged dispatched (each must be 0) and the RSS curve; exits 1 unless all are 0.
 * `--clock-ahead S` adds a publisher whose clock runs S seconds fast, whose messages are replayed across hub
 * restarts (issue 12 item 1). Run it on an otherwise idle machine: it measures capacity first.
 */
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    'clock-ahead': { type: 'string', default: '0' },
  },
})
const minutes = Number(values.minutes)
const ahead = Number(values['clock-ahead'])
if (!(minutes > 0) || !(ahead >= 0)) {
  process.stderr.write('soak: --minutes must be > 0 and --clock-ahead >= 0\n')
  process.exit(2)
}
const run = spawnSync('npx', ['vitest', 'run', 'test/soak'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    FEDMSG_SOAK_MINUTES: String(minutes),
    FEDMSG_SOAK_CLOCK_AHEAD: String(ahead),
  },
})
process.exitCode = run.status ?? 1
