import { resolve } from 'node:path'
import { ConfigInvalid } from '../errors.js'

/** Where messages are stored, named by one URL everywhere (`--db`, the `store.db` config key). */
export type StoreLocation =
  | { readonly type: 'sqlite'; readonly path: string }
  | { readonly type: 'postgres'; readonly url: string }

/** The default store: an embedded SQLite file in the working directory. */
export const DEFAULT_STORE_URL = 'sqlite:fedmsg.db'

/**
 * Parses `sqlite:PATH` (relative to `cwd`) or `postgres://…`/`postgresql://…`. Throws ConfigInvalid (key
 * `store.db`) for anything else.
 *
 * @example
 * ```ts
 * parseStoreUrl('sqlite:fedmsg.db', '/var/lib/fedmsg') // { type: 'sqlite', path: '/var/lib/fedmsg/fedmsg.db' }
 * ```
 */
export function parseStoreUrl(url: string, cwd: string): StoreLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length)
    if (path.length > 0) return { type: 'sqlite', path: resolve(cwd, path) }
  } else if (/^postgres(ql)?:\/\/./.test(url)) {
    return { type: 'postgres', url }
  }
  // The URL may hold a password: name the expected shapes, never echo it.
  throw new ConfigInvalid('store.db must be sqlite:PATH or postgres://USER@HOST:PORT/DATABASE', {
    key: 'store.db',
  })
}
