import { InvalidArgumentError, type Command } from 'commander'
import type { WebhookTargetOptions } from '../../consumers/webhook/webhook-options.js'
import { collect, positive, secondsAsMs } from './option-parsers.js'

const count = (value: string): number => {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('not a whole number')
  return n
}

/** `--target 'URL=PATTERN[,PATTERN...]'`; a bare URL gets every message. The last `=` splits. */
const target = (value: string, previous: { url: string; topics: string[] }[] = []) => {
  const at = value.lastIndexOf('=')
  const split = at > value.indexOf('://') && !value.slice(at + 1).includes('/')
  const url = split ? value.slice(0, at) : value
  const topics = split
    ? value
        .slice(at + 1)
        .split(',')
        .filter(Boolean)
    : ['>']
  if (!/^https?:\/\//.test(url)) throw new InvalidArgumentError('an http:// or https:// URL')
  if (topics.length === 0) throw new InvalidArgumentError('no topic pattern after =')
  return [...previous, { url, topics }]
}

interface WebhookCommandOptions {
  target: { url: string; topics: string[] }[]
  concurrency?: number
  queueSize?: number
  timeout?: number
  retries?: number
  config?: string
  connect?: string[]
  metrics?: string
}

/**
 * `fedmsg webhook --target 'URL[=PATTERNS]' ... [options]`: POSTs each verified message (its signed envelope
 * unchanged, and its summary) to the targets. Exit 0 after a graceful stop; 2 on a usage or configuration
 * error.
 */
export function registerWebhookCommand(program: Command): void {
  program
    .command('webhook')
    .description('POST each verified message (envelope unchanged + summary) to URLs')
    .requiredOption(
      '--target <url[=patterns]>',
      'a URL and its comma-separated topic patterns (none: every message); repeatable',
      target,
    )
    .option('--concurrency <n>', 'POSTs in flight per target (default 2)', positive)
    .option(
      '--queue-size <n>',
      'messages waiting per target; more are dropped (default 1000)',
      positive,
    )
    .option('--timeout <seconds>', 'longest one POST may take (default 10)', secondsAsMs)
    .option('--retries <n>', 'tries after the first before dead-lettering (default 5)', count)
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--metrics <host:port>', 'serve /healthz and /metrics here (default: metrics_address)')
    .option(
      '--connect <address>',
      'subscribe here instead of relay_outbound and every endpoint; repeatable',
      collect,
    )
    .action(async (options: WebhookCommandOptions) => {
      const { serveWebhook } = await import('../../consumers/webhook/serve-webhook.js')
      const limits = {
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.queueSize === undefined ? {} : { queueSize: options.queueSize }),
        ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }),
        ...(options.retries === undefined ? {} : { retries: options.retries }),
      }
      const targets: WebhookTargetOptions[] = options.target.map((t) => ({ ...t, ...limits }))
      await serveWebhook({
        targets,
        connect: options.connect ?? [],
        ...(options.config === undefined ? {} : { config: options.config }),
        ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      })
    })
}
