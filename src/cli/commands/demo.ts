import { InvalidArgumentError, type Command } from 'commander'
import type { DemoFlags } from '../demo/run-demo.js'
import { logLevelOption } from '../log-level-option.js'

function positive(max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
      throw new InvalidArgumentError(`must be a number > 0 and <= ${max}`)
    }
    return n
  }
}

/**
 * `fedmsg demo [--duration SECONDS] [--rate N] [--http HOST:PORT] [--log-level LEVEL]`: a whole local bus
 * on the bundled dev CA, with free ports: relay, hub, Fedora-style services, a forger whose messages are all
 * rejected, and the gateway's web view, whose URL it prints. Exit 0 after Ctrl-C or
 * the duration; 2 when it cannot start (e.g. the dev keys are readable by others: run npm run prepare).
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run a whole bus on the bundled dev CA: services, relay, hub and a forger')
    .option('--duration <seconds>', 'stop after this long (default: at Ctrl-C)', positive(86_400))
    .option('--rate <n>', 'service messages per second, all services together', positive(1000), 4)
    .option('--http <host:port>', 'the web view (default 127.0.0.1 on a free port)')
    .addOption(logLevelOption('error'))
    .action(async (flags: DemoFlags) => {
      const { runDemo } = await import('../demo/run-demo.js')
      await runDemo(flags)
    })
}
