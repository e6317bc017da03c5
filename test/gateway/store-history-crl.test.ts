/**
 * The gateway's store history is verified with CRLs reloaded like the hub's: a row served (and remembered as
 * verified) before a CRL revoking its signer for keyCompromise is installed is refused after the reload.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStoredRowVerifier } from '../../src/archive/stored-row-verifier.js'
import { createCrl } from '../../src/ca/certificate-factory.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import { StoreHistory } from '../../src/gateway/history-source.js'
import { openMessageDatabase } from '../../src/store/message-database.js'
import { storedMessageOf } from '../../src/store/stored-message.js'
import { CrlWatcher } from '../../src/verification/crl-watcher.js'
import { DAY, HOUR, makePastPki, type PastPki } from '../archive/archive-pki.js'

const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'
let dir: string
let pki: PastPki

const pemOf = (der: Uint8Array, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()}\n-----END ${label}-----\n`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-history-crl-'))
  pki = await makePastPki()
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('StoreHistory and CRL reloads', () => {
  it('a row verified before a keyCompromise CRL is refused once the CrlWatcher installs it', async () => {
    // The intermediate's CRL before the compromise was known: nothing revoked (CRL number 6; the fixture's is 7).
    const before = await createCrl(pki.intermediate, {
      crlNumber: 6n,
      thisUpdate: new Date(Date.now() - 2 * HOUR),
      nextUpdate: new Date(Date.now() + 7 * DAY),
      entries: [],
    })
    const crlFile = join(dir, 'crl.pem')
    const write = (intermediateCrl: Uint8Array) => {
      writeFileSync(
        `${crlFile}.new`,
        pemOf(pki.rootCrl, 'X509 CRL') + pemOf(intermediateCrl, 'X509 CRL'),
      )
      renameSync(`${crlFile}.new`, crlFile)
    }
    write(new Uint8Array(before.rawData))

    const timestamp = Date.now() - 20 * DAY
    const { frame } = pki
      .signer(pki.leaves.stolen)
      .sign({ topic: TOPIC, msg: { n: 1 }, i: 1, timestamp })
    const live = new EnvelopeVerifier({ trustAnchors: [pki.root.der], now: () => timestamp })
    const result = live.verify(TOPIC, frame)
    if (!result.ok) throw new Error(`the fixture does not verify: ${result.detail}`)
    const db = await openMessageDatabase('sqlite:history.db', dir)
    await db.insert([storedMessageOf(result.message, timestamp + 1000)])
    await db.close()

    const lines: string[] = []
    const history = new StoreHistory(
      () => openMessageDatabase('sqlite:history.db', dir),
      // As serve-gateway does: the set in force at start comes from the files, reloads from the watcher.
      createStoredRowVerifier({
        trustAnchors: [pki.root.der],
        crls: [pki.rootCrl, new Uint8Array(before.rawData)],
      }),
      pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
    )
    const watcher = await CrlWatcher.watch([crlFile], history, {
      intervalMs: 60_000,
      logger: pino({ level: 'silent' }),
    })
    try {
      expect(await history.query('>', 10)).toHaveLength(1)
      expect(history.refused).toBe(0)

      write(pki.intermediateCrl)
      // A change is read once the file stayed the same for a whole poll: the first check sees it, the second reads it.
      await watcher!.check()
      expect(await watcher!.check()).toBe(true)
      expect(watcher!.stats()).toEqual({ reloads: 1, failures: 0 })

      expect(await history.query('>', 10)).toHaveLength(0)
      expect(history.refused).toBe(1)
      expect(lines.join('')).toContain('"verdict":"revoked"')
    } finally {
      await watcher?.close()
      await history.close()
    }
  })
})
