import { InvalidArgumentError, type Command } from 'commander'
import { CHECK_STATUS } from '../../consumers/check/check-options.js'

const number = (value: string): number => {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('not a number >= 0')
  return n
}

const seconds = (value: string): number => {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('not a positive number')
  return n
}

interface CheckCommandOptions {
  timeout?: number
  silentWarning?: number
  silentCritical?: number
  rejectWarning?: number
  rejectCritical?: number
  dropsWarning?: number
  dropsCritical?: number
}

/**
 * `fedmsg check URL [--timeout S] [--{silent,reject,drops}-{warning,critical} N]`: a Nagios plugin for the
 * metrics address of a hub, relay or trigger. Prints one line; exits 0 OK, 1 WARNING, 2 CRITICAL (also:
 * unreachable, too slow), 3 UNKNOWN (not a fedmsg metrics page).
 */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('check a hub or relay by its metrics address; Nagios exit codes 0/1/2/3')
    .argument('<url>', 'the metrics address, e.g. http://127.0.0.1:9464')
    .option('--timeout <seconds>', 'CRITICAL when no answer by then (default 10)', seconds)
    .option('--silent-warning <n>', 'silent publishers for WARNING (default 1)', number)
    .option('--silent-critical <n>', 'silent publishers for CRITICAL (default: none)', number)
    .option('--reject-warning <percent>', 'rejected % of received for WARNING (default 1)', number)
    .option(
      '--reject-critical <percent>',
      'rejected % of received for CRITICAL (default 10)',
      number,
    )
    .option('--drops-warning <n>', 'dropped messages for WARNING (default 1)', number)
    .option('--drops-critical <n>', 'dropped messages for CRITICAL (default: none)', number)
    .action(async (url: string, options: CheckCommandOptions) => {
      const { runCheck } = await import('../../consumers/check/run-check.js')
      const { timeout, ...thresholds } = options
      const result = await runCheck({
        url,
        ...thresholds,
        ...(timeout === undefined ? {} : { timeoutMs: Math.ceil(timeout * 1000) }),
      })
      process.stdout.write(`${result.line}\n`)
      process.exitCode = CHECK_STATUS[result.state]
    })
}
