import { createCommandLogger } from '../../cli/logging.js'
import { loadCliConfig } from '../../cli/load-cli-config.js'
import { runUntilSignal } from '../../cli/run-until-signal.js'
import { UsageError } from '../../errors.js'
import { openMessageDatabase } from '../message-database.js'
import { DEFAULT_STORE_URL, parseStoreUrl } from '../store-url.js'
import { startApiServer } from './serve-api.js'

/**
 * `fedmsg api`: opens the store and serves it until SIGTERM/SIGINT.
 *
 * @example
 * ```ts
 * await serveApi({ db: 'sqlite:fedmsg.db', listen: '127.0.0.1:8080' })
 * ```
 */
export async function serveApi(options: {
  db?: string
  config?: string
  listen: string
}): Promise<void> {
  const match = /^(.+):(\d+)$/.exec(options.listen)
  if (match === null) throw new UsageError('--listen must be HOST:PORT')
  if (options.db !== undefined) parseStoreUrl(options.db, process.cwd())
  const { config } = loadCliConfig(options.config)
  const log = createCommandLogger('fedmsg-api', config.log_level)
  const db = await openMessageDatabase(
    options.db ?? config.store?.db ?? DEFAULT_STORE_URL,
    process.cwd(),
  )
  const api = await startApiServer(db, {
    host: match[1]!.replace(/^\[(.*)\]$/, '$1'),
    port: Number(match[2]),
    prefix: config.topic_prefix,
  }).catch(async (error: unknown) => {
    await db.close()
    throw error
  })
  const stopped = runUntilSignal(async () => {
    await api.close()
    await db.close()
  })
  log.info({ url: api.url }, 'api started')
  await stopped
  log.info('api stopped')
}
