import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import type { Rejected } from '../../src/crypto/envelope/verified-message.js'
import { RejectionLog } from '../../src/verification/rejection-log.js'

function capture() {
  const lines: Record<string, unknown>[] = []
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) })
  return { lines, logger }
}

const forged: Rejected = {
  ok: false,
  reason: 'bad_signature',
  detail: 'x',
  topic: 't.a',
  signer: 'koji',
}

describe('RejectionLog', () => {
  it('logs one line per (reason, signer, topic) per interval, with how many it held back', () => {
    const { lines, logger } = capture()
    const log = new RejectionLog(logger, 10_000)
    for (let n = 0; n < 5; n += 1) log.record(forged, 1000 + n)
    log.record({ ...forged, topic: 't.b' }, 1005)
    log.record({ ...forged, reason: 'replay' }, 1006)
    log.record(forged, 11_000)
    expect(
      lines.map(({ reason, signer, topic, suppressed }) => ({ reason, signer, topic, suppressed })),
    ).toEqual([
      { reason: 'bad_signature', signer: 'koji', topic: 't.a', suppressed: 0 },
      { reason: 'bad_signature', signer: 'koji', topic: 't.b', suppressed: 0 },
      { reason: 'replay', signer: 'koji', topic: 't.a', suppressed: 0 },
      { reason: 'bad_signature', signer: 'koji', topic: 't.a', suppressed: 4 },
    ])
  })

  it('keeps a bounded set of keys when an attacker varies the topic', () => {
    const { lines, logger } = capture()
    const log = new RejectionLog(logger, 10_000, 3)
    for (let n = 0; n < 10; n += 1) log.record({ ...forged, topic: `t.${n}` }, 1000)
    // Evicted keys are logged again early rather than remembered without bound.
    log.record({ ...forged, topic: 't.0' }, 1001)
    expect(lines).toHaveLength(11)
  })
})
