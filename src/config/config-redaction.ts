import type { FedmsgConfig } from './config-types.js'

/** What a listing shows instead of a secret. */
export const NOT_SHOWN = '(not shown)'

/**
 * The configuration as `fedmsg config` may print it: every CURVE `secret_key` replaced by
 * {@link NOT_SHOWN}. A listing gets pasted into tickets and chats, and whoever holds a server's secret key
 * can impersonate that server to every client.
 *
 * @example
 * ```ts
 * withoutSecrets(config).curve?.server?.secret_key // '(not shown)'
 * ```
 */
export function withoutSecrets(config: FedmsgConfig): FedmsgConfig {
  if (config.curve === undefined) return config
  const curve = Object.fromEntries(
    Object.entries(config.curve).map(([role, keys]) => [
      role,
      keys === undefined ? keys : { ...keys, secret_key: NOT_SHOWN },
    ]),
  )
  return { ...config, curve }
}
