import type { Command } from 'commander'
import { collect, positive } from './option-parsers.js'

/** A repeatable flag. */
interface StoreCommandOptions {
  db?: string
  config?: string
  connect?: string[]
  metrics?: string
  batchSize?: number
  queueLimit?: number
  retain?: string
}

/**
 * `fedmsg store [--db URL] [--config PATH] [--metrics HOST:PORT] [--batch-size N] [--queue-limit N]
 * [--retain AGE] [--connect ADDR ...]`: archives every verified message, envelope byte for byte. Exit 0 after a graceful
 * stop; 2 on a usage or configuration error.
 */
export function registerStoreCommand(program: Command): void {
  program
    .command('store')
    .description('archive every verified message (its signed envelope) in SQLite or PostgreSQL')
    .option('--db <url>', 'sqlite:PATH or postgres://… (default: store.db, else sqlite:fedmsg.db)')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--metrics <host:port>', 'serve /healthz and /metrics here (default: metrics_address)')
    .option('--batch-size <n>', 'most rows in one transaction (default 500)', positive)
    .option(
      '--queue-limit <n>',
      'most messages waiting for the database; more are dropped (default 50000)',
      positive,
    )
    .option('--retain <age>', 'delete messages older than this (e.g. 90d, 12h), hourly')
    .option(
      '--connect <address>',
      'subscribe here instead of relay_outbound and every endpoint; repeatable',
      collect,
    )
    .action(async (options: StoreCommandOptions) => {
      const { serveStore } = await import('../../consumers/store/serve-store.js')
      const { parseDuration } = await import('../../store/query-time.js')
      await serveStore({
        connect: options.connect ?? [],
        ...(options.db === undefined ? {} : { db: options.db }),
        ...(options.config === undefined ? {} : { config: options.config }),
        ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.queueLimit === undefined ? {} : { queueLimit: options.queueLimit }),
        ...(options.retain === undefined
          ? {}
          : { retainMs: parseDuration(options.retain, '--retain') }),
      })
    })
}
