import type { Command } from 'commander'

interface ApiCommandOptions {
  db?: string
  config?: string
  listen: string
}

/**
 * `fedmsg api [--db URL] [--config PATH] [--listen HOST:PORT]`: serves the store over HTTP, compatible with
 * datagrepper's `/raw`, `/v2/search` and `/id`. Runs until SIGTERM/SIGINT; exit 2 on a usage or
 * configuration error.
 */
export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description("serve the message store over HTTP (datagrepper's /raw and /id)")
    .option('--db <url>', 'sqlite:PATH or postgres://… (default: store.db, else sqlite:fedmsg.db)')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option('--listen <host:port>', 'where to serve', '127.0.0.1:8080')
    .action(async (options: ApiCommandOptions) => {
      const { serveApi } = await import('../../store/api/run-api.js')
      await serveApi(options)
    })
}
