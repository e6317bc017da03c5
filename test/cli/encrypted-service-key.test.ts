/**
 * Issue 11, item 10: encrypted service keys, end to end.
 *
 *   fedmsg ca issue --out-passphrase-file P --> NAME.key (ENCRYPTED PRIVATE KEY, 0600; openssl opens it)
 *   config certs.NAME { cert, key, passphrase_file: P } --> fedmsg logger --DEALER--> fedmsg relay (verifies): ack
 *   a wrong passphrase file --> exit 2, ERR_FEDMSG_KEY_PASSPHRASE, "the passphrase is probably wrong"
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readPrivateKeyFile } from '../../src/crypto/keys/key-file.js'
import { fedmsgJson, makeTempDir, openssl } from '../ca/ca-test-kit.js'
import { freePort } from '../fixtures/free-port.js'
import { assertBuilt, runCli, startCli, type CliProcess } from './cli-process.js'

let temp: ReturnType<typeof makeTempDir>
let keyFile: string
let certFile: string
const children: CliProcess[] = []
const pass = (name: string, text: string) => {
  const file = join(temp.dir, name)
  writeFileSync(file, text, { mode: 0o600 })
  return file
}

beforeAll(async () => {
  for (const command of ['ca', 'relay', 'logger']) assertBuilt(command)
  temp = makeTempDir('fedmsg-enc-key-')
  const root = join(temp.dir, 'root')
  const inter = join(temp.dir, 'intermediate')
  await fedmsgJson(['ca', 'init', '--dir', root, '--cn', 'Enc Root'])
  await fedmsgJson(['ca', 'intermediate', '--dir', root, '--out', inter, '--cn', 'Enc Issuing'])
  const issued = (await fedmsgJson([
    ...['ca', 'issue', '--dir', inter, '--service', 'backup', '--out', join(temp.dir, 'certs')],
    ...['--out-passphrase-file', pass('backup.pass', 'correct horse battery\n')],
  ])) as { certificateFile: string; privateKeyFile: string }
  keyFile = issued.privateKeyFile
  certFile = issued.certificateFile
})
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()))
})
afterAll(() => temp.remove())

describe('fedmsg ca issue --out-passphrase-file', () => {
  it('writes the service key encrypted (PKCS#8, 0600) under the first line of the file', () => {
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    const opened = openssl(
      'pkey',
      '-in',
      keyFile,
      '-passin',
      'pass:correct horse battery',
      '-noout',
    )
    expect(opened.code).toBe(0)
    expect(openssl('pkey', '-in', keyFile, '-passin', 'pass:wrong', '-noout').code).not.toBe(0)
  })
})

describe('an encrypted service key in the config', () => {
  async function relayAndConfig(passphraseFile: string | undefined) {
    const inbound = `tcp://127.0.0.1:${await freePort()}`
    const config = join(temp.dir, `bus-${children.length}-${Date.now()}.json`)
    writeFileSync(
      config,
      JSON.stringify({
        trust: [join(temp.dir, 'root/root.crt')],
        relay_inbound: inbound,
        relay_outbound: `tcp://127.0.0.1:${await freePort()}`,
        certs: {
          backup: {
            cert: certFile,
            key: keyFile,
            ...(passphraseFile === undefined ? {} : { passphrase_file: passphraseFile }),
          },
        },
      }),
    )
    const relay = startCli(['relay', '--config', config], { cwd: temp.dir })
    children.push(relay)
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    return config
  }
  const log = (config: string) =>
    runCli(
      ['logger', '--config', config, '--cert-name', 'backup', '--topic', 'done', '--message', 'ok'],
      { cwd: temp.dir },
    )

  it('passphrase_file: the logger signs with it and the verifying relay acknowledges', async () => {
    const config = await relayAndConfig(join(temp.dir, 'backup.pass'))
    const run = await log(config)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
  })

  it('a wrong passphrase_file: exit 2, ERR_FEDMSG_KEY_PASSPHRASE, says the passphrase is probably wrong', async () => {
    const config = await relayAndConfig(pass('wrong.pass', 'correct horse staple\n'))
    const run = await log(config)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('[ERR_FEDMSG_KEY_PASSPHRASE]')
    expect(run.stderr).toContain('the passphrase is probably wrong')
    expect(run.stderr).not.toContain('correct horse')
  })

  it('no passphrase_file: exit 2, ERR_FEDMSG_KEY_INVALID, says the key is encrypted', async () => {
    const config = await relayAndConfig(undefined)
    const run = await log(config)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('[ERR_FEDMSG_KEY_INVALID]')
    expect(run.stderr).toContain('is encrypted')
  })
})

describe('readPrivateKeyFile', () => {
  // A wrong passphrase fails AES-CBC's padding check, or (1 time in 256) passes it and leaves garbage that
  // does not parse: both must say "passphrase". 40 wrong ones make the second case likely to be met.
  it('every one of 40 wrong passphrases → ERR_FEDMSG_KEY_PASSPHRASE', () => {
    for (let n = 0; n < 40; n++) {
      expect(() => readPrivateKeyFile(keyFile, `wrong ${n}`)).toThrow(
        expect.objectContaining({ code: 'ERR_FEDMSG_KEY_PASSPHRASE' }),
      )
    }
    expect(readPrivateKeyFile(keyFile, 'correct horse battery').type).toBe('private')
  })
})
