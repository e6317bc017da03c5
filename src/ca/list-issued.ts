import { resolve } from 'node:path'
import { loadCaCertificates } from './ca-directory.js'
import type { IssuedRecord } from './ca-state.js'

/**
 * Every certificate the CA in `dir` issued, oldest first, from its registry. Reads without the lock: state
 * files are replaced atomically, so a reader sees one whole version.
 *
 * @example
 * for (const record of listIssued('/srv/fedmsg-ca')) console.log(record.serial, record.cn)
 */
export function listIssued(dir: string): readonly IssuedRecord[] {
  return loadCaCertificates(resolve(dir)).state.issued
}
