/**
 * fedmsg archive verify on both backends: envelopes signed at their own time and stored (as `fedmsg store`
 * writes them) -> a real `fedmsg archive verify` process -> counts by verdict and the exit code.
 *
 * The archive holds the cases of docs/protocol.md §4.6 (expired today but valid then, revoked after, revoked
 * before, keyCompromise) and rows tampered with after they were stored (body, topic, signature, indexed
 * columns): each gets its own verdict, and any failure exits 1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { encodePem, PEM_LABEL } from '../../src/crypto/pem.js'
import { openMessageDatabase } from '../../src/store/message-database.js'
import { storedMessageOf, type StoredMessage } from '../../src/store/stored-message.js'
import { assertBuilt, runCli } from '../cli/cli-process.js'
import { BACKENDS, makeDatabaseFarm, type DatabaseFarm } from '../store/store-backends.js'
import { DAY, HOUR, makePastPki, REVOKED_AT, type PastPki } from './archive-pki.js'

const TOPIC = 'org.fedoraproject.prod.bodhi.update'
let pki: PastPki
let farm: DatabaseFarm
let dir: string
let caArgs: string[]

beforeAll(async () => {
  assertBuilt('archive')
  farm = makeDatabaseFarm()
  pki = await makePastPki()
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-archive-'))
  const write = (name: string, der: Uint8Array, label: string) => {
    writeFileSync(join(dir, name), encodePem(der, label))
    return join(dir, name)
  }
  caArgs = [
    ...['--ca', write('root.crt', pki.root.der, PEM_LABEL.certificate)],
    ...['--crl', write('root.crl', pki.rootCrl, PEM_LABEL.crl)],
    ...['--crl', write('intermediate.crl', pki.intermediateCrl, PEM_LABEL.crl)],
  ]
})
afterAll(async () => {
  await farm.cleanup()
  rmSync(dir, { recursive: true, force: true })
}, 30_000)

/** Which case a msg_id is (the signer draws msg_ids). */
const labels = new Map<string, string>()

let clock = 0
const verifier = () =>
  (live ??= new EnvelopeVerifier({ trustAnchors: [pki.root.der], now: () => clock }))
let live: EnvelopeVerifier | undefined

/** The row `fedmsg store` writes for a message `leaf` signed at `timestamp` (verified as of then). */
function storedRow(leaf: keyof PastPki['leaves'], timestamp: number, id: string): StoredMessage {
  const { frame } = pki
    .signer(pki.leaves[leaf])
    .sign({ topic: TOPIC, msg: { update: id }, i: 1, timestamp })
  clock = timestamp
  const result = verifier().verify(TOPIC, frame)
  if (!result.ok) throw new Error(`fixture ${id} does not verify: ${result.reason}`)
  labels.set(result.message.msgId, id)
  return storedMessageOf(result.message, timestamp + 1000)
}

const tamper = (row: StoredMessage, change: Partial<StoredMessage>): StoredMessage => ({
  ...row,
  ...change,
})

describe.each(BACKENDS)('fedmsg archive verify (%s)', (backend) => {
  it('verifies each row as of its own timestamp and detects tampering; exit 1 on any failure', async () => {
    const at = (days: number) => Date.now() - days * DAY
    const signature = (row: StoredMessage) => {
      const { signature: sig } = JSON.parse(row.envelope) as { signature: string }
      return row.envelope.replace(sig, `${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`)
    }
    const good = storedRow('current', at(3), 'good')
    const rows = [
      good,
      storedRow('expired', at(30), 'expired-today-valid-then'),
      storedRow('retired', REVOKED_AT - HOUR, 'revoked-after'),
      storedRow('retired', REVOKED_AT + HOUR, 'revoked-before'),
      storedRow('stolen', REVOKED_AT - 20 * DAY, 'key-compromised'),
      tamper(storedRow('current', at(2), 'body'), {}),
      tamper(storedRow('current', at(2), 'topic'), {}),
      tamper(storedRow('current', at(2), 'sig'), {}),
      tamper(storedRow('current', at(2), 'time'), {}),
      tamper(storedRow('current', at(2), 'signer'), {}),
    ]
    const byId = new Map(rows.map((r) => [labels.get(r.msgId)!, r]))
    const edit = (id: string, change: (r: StoredMessage) => Partial<StoredMessage>) =>
      byId.set(id, tamper(byId.get(id)!, change(byId.get(id)!)))
    edit('body', (r) => ({ envelope: r.envelope.replace('"update":"body"', '"update":"b0dy"') }))
    edit('topic', () => ({ topic: 'org.fedoraproject.prod.bodhi.other' }))
    edit('sig', (r) => ({ envelope: signature(r) }))
    edit('time', (r) => ({ timestamp: r.timestamp - 1000 }))
    edit('signer', () => ({ signer: 'koji' }))
    const url = await farm.url(backend)
    const db = await openMessageDatabase(url, dir)
    await db.insert([...byId.values()])
    await db.close()

    const run = await runCli(['archive', 'verify', '--db', url, ...caArgs, '--json'], { cwd: dir })
    expect(run.code).toBe(1)
    const lines = run.stdout.split('\n').filter((line) => line !== '')
    const failures = Object.fromEntries(
      lines.slice(0, -1).map((line) => {
        const failure = JSON.parse(line) as { msg_id: string; verdict: string }
        return [labels.get(failure.msg_id), failure.verdict]
      }),
    )
    expect(failures).toEqual({
      'revoked-before': 'revoked',
      'key-compromised': 'revoked',
      body: 'bad_signature',
      topic: 'topic_mismatch',
      sig: 'bad_signature',
      time: 'row_mismatch',
      signer: 'row_mismatch',
    })
    expect(JSON.parse(lines.at(-1)!)).toEqual({
      checked: 10,
      verdicts: { bad_signature: 2, ok: 3, revoked: 2, row_mismatch: 2, topic_mismatch: 1 },
    })
    // Not a terminal: no progress bar, stderr carries nothing but log lines.
    expect(run.stderr).not.toContain('\r')
  })

  it('--since/--until select by message time; a clean range exits 0 with counts as text', async () => {
    const url = await farm.url(backend)
    const db = await openMessageDatabase(url, dir)
    const old = storedRow('stolen', REVOKED_AT - 20 * DAY, 'old-compromised')
    const recent = storedRow('current', Date.now() - 2 * DAY, 'recent')
    await db.insert([old, recent])
    await db.close()
    const since = String((Date.now() - 5 * DAY) / 1000)
    const run = await runCli(['archive', 'verify', '--db', url, ...caArgs, '--since', since], {
      cwd: dir,
    })
    expect(run.stdout).toBe('checked 1\nok 1')
    expect(run.code).toBe(0)
    const all = await runCli(['archive', 'verify', '--db', url, ...caArgs], { cwd: dir })
    expect(all.stdout).toContain(`${old.msgId} revoked: `)
    expect(all.stdout).toContain('checked 2\nok 1\nrevoked 1')
    expect(all.code).toBe(1)
  })

  it('pages through more rows than one keyset page (bounded memory), oldest first', async () => {
    const url = await farm.url(backend)
    const db = await openMessageDatabase(url, dir)
    const start = Date.now() - 4 * DAY
    const rows = Array.from({ length: 520 }, (_, n) =>
      storedRow('current', start + n * 1000, `m${n}`),
    )
    await db.insert(rows)
    await db.close()
    const run = await runCli(['archive', 'verify', '--db', url, ...caArgs], { cwd: dir })
    expect(run.stdout).toBe('checked 520\nok 520')
    expect(run.code).toBe(0)
  }, 60_000)
})

describe('fedmsg archive verify usage', () => {
  it('without --ca → exit 2', async () => {
    const run = await runCli(['archive', 'verify', '--db', 'sqlite:x.db'], { cwd: dir })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--ca')
  })
})
