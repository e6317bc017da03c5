/**
 * The files the soak's hub and relay run on: one config (relay addresses, the attacker's endpoint the hub
 * connects to, a consumer) and the consumer module, which appends `SOAK_ID MSG_ID` to `records` for every
 * message the hub dispatches (appendFileSync: a line written survives a SIGKILL of the hub).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '../fixtures/free-port.js'
import type { SoakPki } from './soak-pki.js'

export interface SoakConfig {
  readonly config: string
  readonly records: string
  readonly inbound: string
  readonly outbound: string
  readonly attacker: string
}

const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

export async function writeSoakConfig(dir: string, pki: SoakPki): Promise<SoakConfig> {
  const records = join(dir, 'dispatched.txt')
  writeFileSync(records, '')
  const consumer = join(dir, 'record-consumer.mjs')
  writeFileSync(
    consumer,
    `import { appendFileSync } from 'node:fs'
export default {
  topic: 'org.fedoraproject.>',
  consume(message) {
    if (typeof message.body.soak_id === 'string') {
      appendFileSync(${JSON.stringify(records)}, message.body.soak_id + ' ' + message.msgId + '\\n')
    }
  },
}
`,
  )
  const [inbound, outbound, attacker] = [await tcp(), await tcp(), await tcp()]
  const config = join(dir, 'soak.json')
  writeFileSync(
    config,
    JSON.stringify({
      trust: [pki.trust],
      crl: [pki.crl],
      certs: pki.certs,
      relay_inbound: inbound,
      relay_outbound: outbound,
      endpoints: { attacker: [attacker] },
      consumers: [{ module: consumer, topic: 'org.fedoraproject.>', queue_size: 100_000 }],
      reconnect_ivl_ms: 100,
      log_level: 'warn',
    }),
  )
  return { config, records, inbound, outbound, attacker }
}
