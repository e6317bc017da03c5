import type { Command } from 'commander'
import { collect, positive, secondsAsMs } from './option-parsers.js'

/** A repeatable flag. */
interface TriggerCommandOptions {
  topic: string[]
  config?: string
  connect?: string[]
  concurrency?: number
  queueSize?: number
  timeout?: number
  metrics?: string
}

/**
 * `fedmsg trigger --topic P [...] [--config PATH] [--concurrency N] [--queue-size N] [--timeout S]
 * [--metrics HOST:PORT] [--connect ADDR ...] -- COMMAND [ARGS...]`: runs COMMAND for each verified message,
 * without a shell, the message as JSON on stdin. Exit 0 after a graceful stop; 2 on a usage or configuration
 * error.
 */
export function registerTriggerCommand(program: Command): void {
  program
    .command('trigger')
    .description('run a command for each verified message (JSON on stdin, no shell)')
    .argument('<command...>', 'the command and its arguments, after --')
    .requiredOption(
      '--topic <pattern>',
      'topics to run for; repeatable (* one token, > the rest)',
      collect,
    )
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--concurrency <n>', 'commands running at once (default 4)', positive)
    .option(
      '--queue-size <n>',
      'messages waiting for a slot; more are dropped (default 100)',
      positive,
    )
    .option('--timeout <seconds>', 'kill a command after this long (default 30)', secondsAsMs)
    .option('--metrics <host:port>', 'serve /healthz and /metrics here (default: metrics_address)')
    .option(
      '--connect <address>',
      'subscribe here instead of relay_outbound and every endpoint; repeatable',
      collect,
    )
    .action(async (argv: string[], options: TriggerCommandOptions) => {
      const { serveTrigger } = await import('../../consumers/trigger/serve-trigger.js')
      await serveTrigger({
        argv,
        topic: options.topic,
        connect: options.connect ?? [],
        ...(options.config === undefined ? {} : { config: options.config }),
        ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.queueSize === undefined ? {} : { queueSize: options.queueSize }),
        ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }),
      })
    })
}
