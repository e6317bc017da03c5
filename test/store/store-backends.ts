/**
 * The two backends every store test runs on (`describe.each(BACKENDS)`): a SQLite file in a temp dir and a
 * fresh database on a real PostgreSQL server started for the test file.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { StoredMessage } from '../../src/store/stored-message.js'
import { startPostgres, type PostgresServer } from '../fixtures/postgres-server.js'

export const BACKENDS = ['sqlite', 'postgres'] as const
export type Backend = (typeof BACKENDS)[number]

/** Hands out one empty database URL per call, on either backend; `cleanup()` removes them all. */
export interface DatabaseFarm {
  url(backend: Backend): Promise<string>
  readonly postgres: () => Promise<PostgresServer>
  cleanup(): Promise<void>
}

export function makeDatabaseFarm(): DatabaseFarm {
  const dir = mkdtempSync(join(tmpdir(), 'fedmsg-store-'))
  let server: Promise<PostgresServer> | undefined
  let n = 0
  const postgres = () => (server ??= startPostgres())
  return {
    postgres,
    async url(backend) {
      n += 1
      if (backend === 'sqlite') return `sqlite:${join(dir, `db${n}.sqlite`)}`
      const base = (await postgres()).url
      const client = new pg.Client({ connectionString: base })
      await client.connect()
      await client.query(`CREATE DATABASE db${n}`)
      await client.end()
      return base.replace(/\/postgres$/, `/db${n}`)
    },
    async cleanup() {
      if (server !== undefined) (await server).destroy()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A stored-message row with defaults; envelope text carries the body for `contains`. */
export function row(fields: Partial<StoredMessage> & { msgId: string }): StoredMessage {
  const topic = fields.topic ?? 'org.fedoraproject.dev.bodhi.update'
  return {
    topic,
    signer: 'bodhi',
    timestamp: Date.UTC(2026, 11, 6, 12),
    i: 1,
    certSha256: 'ab'.repeat(32),
    receivedAt: Date.UTC(2026, 11, 6, 12, 0, 1),
    envelope: JSON.stringify({ topic, msg: { text: `message ${fields.msgId}` } }),
    ...fields,
  }
}
