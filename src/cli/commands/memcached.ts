import { InvalidArgumentError, type Command } from 'commander'
import type { MemcachedTopic } from '../../consumers/memcached/memcached-options.js'
import { collect, secondsAsMs } from './option-parsers.js'

/** `--topic 'PATTERN[=N]'`: a list of the latest N messages (default 20) on topics matching PATTERN. */
const topic = (value: string, previous: MemcachedTopic[] = []): MemcachedTopic[] => {
  const at = value.lastIndexOf('=')
  if (at === -1) return [...previous, { pattern: value }]
  const keep = Number(value.slice(at + 1))
  if (!Number.isSafeInteger(keep) || keep < 1) {
    throw new InvalidArgumentError('the count after = must be a positive integer')
  }
  return [...previous, { pattern: value.slice(0, at), keep }]
}

const seconds = (value: string): number => {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('not a whole number')
  return n
}

interface MemcachedCommandOptions {
  server?: string[]
  topic?: MemcachedTopic[]
  keyPrefix?: string
  expires?: number
  timeout?: number
  config?: string
  connect?: string[]
  metrics?: string
}

/**
 * `fedmsg memcached --server HOST:PORT --topic 'PATTERN[=N]' ... [options]`: keeps the latest N verified
 * messages per topic pattern in memcached for web apps. Flags override the config's `memcached` section.
 * Exit 0 after a graceful stop; 2 on a usage or configuration error.
 */
export function registerMemcachedCommand(program: Command): void {
  program
    .command('memcached')
    .description('keep the latest verified messages per topic pattern in memcached')
    .option('--server <host:port>', 'a memcached server; repeatable (default: config)', collect)
    .option(
      '--topic <pattern[=n]>',
      'a topic pattern and how many of its messages to keep (default 20); repeatable',
      topic,
    )
    .option('--key-prefix <prefix>', 'keys are PREFIX + pattern (default fedmsg:)')
    .option('--expires <seconds>', 'memcached drops a list not written for this long', seconds)
    .option('--timeout <seconds>', 'longest one write may wait (default 1)', secondsAsMs)
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--metrics <host:port>', 'serve /healthz and /metrics here (default: metrics_address)')
    .option(
      '--connect <address>',
      'subscribe here instead of relay_outbound and every endpoint; repeatable',
      collect,
    )
    .action(async (options: MemcachedCommandOptions) => {
      const { serveMemcached } = await import('../../consumers/memcached/serve-memcached.js')
      await serveMemcached({
        servers: options.server,
        topics: options.topic,
        keyPrefix: options.keyPrefix,
        expiresSeconds: options.expires,
        timeoutMs: options.timeout,
        config: options.config,
        metrics: options.metrics,
        connect: options.connect ?? [],
      })
    })
}
