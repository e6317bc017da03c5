// @ts-check
/** Generated rows and helpers shared by the store figures (`store.js`, `lib/store-query.js`). */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const T0 = Date.UTC(2026, 10, 1)
export const SPAN_MS = 30 * 86_400_000
export const TOPICS = Array.from(
  { length: 20 },
  (_, n) => `org.fedoraproject.prod.service${n}.event`,
)
export const COLUMNS = 'msg_id, topic, signer, timestamp, i, cert_sha256, received_at, envelope'

/** @param {number} n @param {number} bodyBytes */
export function rows(n, bodyBytes) {
  const tag = randomBytes(4).toString('hex')
  const pad = 'x'.repeat(bodyBytes)
  return Array.from({ length: n }, (_, k) => {
    const topic = TOPICS[k % TOPICS.length] ?? TOPICS[0]
    const timestamp = T0 + Math.floor((k / n) * SPAN_MS)
    const envelope = `{"msg":{"k":${k},"pad":"${pad}"},"topic":"${topic}"}`
    const row = { msgId: `${tag}-${k}`, topic, signer: `svc${k % 5}`, timestamp, i: k + 1 }
    return { ...row, certSha256: 'ab'.repeat(32), receivedAt: timestamp + 5, envelope }
  })
}

/** @param {number[]} values @param {number} q */
export const percentile = (values, q) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0
export const median = (/** @type {number[]} */ values) => percentile(values, 0.5)

/** @param {string} admin */
export async function freshPostgres(admin) {
  const name = `bench_${randomBytes(4).toString('hex')}`
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  await client.query(`CREATE DATABASE ${name}`)
  await client.end()
  return admin.replace(/\/postgres$/, `/${name}`)
}
