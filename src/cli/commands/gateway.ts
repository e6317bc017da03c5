import { InvalidArgumentError, type Command } from 'commander'
import { collect, positive } from './option-parsers.js'

interface GatewayCommandOptions {
  config?: string
  connect?: string[]
  http?: string
  public?: string
  tlsCert?: string
  tlsKey?: string
  maxClients?: number
  maxBufferedBytes?: number
  allowOrigin?: string[]
  tokenEnv?: string
}

/**
 * `fedmsg gateway [--http HOST:PORT] [--public ADDR] [--config PATH] [--connect ADDR ...] [limits]`: the
 * verified bus, read-only, for the outside world (docs/gateway.md). Exit 0 after a graceful stop; 2 on a
 * usage or configuration error.
 */
export function registerGatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description(
      'serve the verified bus read-only: a public PUB, a WebSocket endpoint and a web view',
    )
    .option(
      '--http <host:port>',
      'the web view, /ws, /healthz and /metrics (default 127.0.0.1:9939)',
    )
    .option('--public <address>', 'the public read-only PUB (default tcp://127.0.0.1:9940)')
    .option('--config <path>', 'a config file or fedmsg.d directory, read after all others')
    .option(
      '--connect <address>',
      'subscribe here instead of relay_outbound and every endpoint; repeatable',
      collect,
    )
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS and WSS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--max-clients <n>', 'WebSocket clients at once (default 1000)', positive)
    .option(
      '--max-buffered-bytes <n>',
      'unsent bytes before a client is dropped (default 4 MiB)',
      positive,
    )
    .option(
      '--allow-origin <origin>',
      'accept WebSocket upgrades from this Origin only; repeatable',
      collect,
    )
    .option('--token-env <name>', "require this environment variable's value as a bearer token")
    .action(async (options: GatewayCommandOptions) => {
      const { serveGateway } = await import('../../gateway/serve-gateway.js')
      const token = options.tokenEnv === undefined ? undefined : process.env[options.tokenEnv]
      if (options.tokenEnv !== undefined && !token) {
        throw new InvalidArgumentError(`--token-env: ${options.tokenEnv} is not set or empty`)
      }
      await serveGateway({
        connect: options.connect ?? [],
        ...(options.config === undefined ? {} : { config: options.config }),
        ...(options.http === undefined ? {} : { http: options.http }),
        ...(options.public === undefined ? {} : { public: options.public }),
        ...(options.tlsCert === undefined ? {} : { tlsCert: options.tlsCert }),
        ...(options.tlsKey === undefined ? {} : { tlsKey: options.tlsKey }),
        maxClients: options.maxClients,
        maxBufferedBytes: options.maxBufferedBytes,
        allowedOrigins: options.allowOrigin,
        token,
      })
    })
}
