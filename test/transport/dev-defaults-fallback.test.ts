/**
 * Issue #11 item 2: the library runs on the embedded dev defaults, as the CLI does, when no configuration
 * was named and none was found, and says so once on stderr (a process warning). A configuration that was
 * named or found is used as it is, dev defaults never mixed in.
 *
 *   createPublisher({ name: 'bodhi' }) PUB --> createHub() SUB --> consumer: signer bodhi (bundled dev CA)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { LoadConfigOptions } from '../../src/config/load-config.js'
import type { VerifiedMessage } from '../../src/crypto/envelope/verified-message.js'
import { createHub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'

const dir = mkdtempSync(join(tmpdir(), 'fedmsg-fallback-'))
const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A machine with no fedmsg.d anywhere and no $FEDMSG_CONFIG. */
const NOTHING: LoadConfigOptions = { cwd: dir, env: { HOME: dir }, searchDirs: [] }

function configFile(name: string, values: object): string {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(values))
  return file
}

describe('no configuration named and none found', () => {
  it('createPublisher and createHub run on the dev defaults; one warning says so', async () => {
    const warnings: Error[] = []
    const onWarning = (warning: Error) => warnings.push(warning)
    process.on('warning', onWarning)
    try {
      const address = await uniqueAddress('tcp', dir)
      const received: VerifiedMessage[] = []
      const hub = await createHub({
        configOptions: NOTHING,
        connect: [address],
        consumers: [{ name: 'record', topic: '>', consume: (m) => void received.push(m) }],
      })
      open.push(hub)
      const bus = await createPublisher({ name: 'bodhi', configOptions: NOTHING, bind: [address] })
      open.push(bus)
      await waitUntil(() => hub.stats().heartbeats > 0, 'the hub to hear the publisher')
      await bus.publish('update.request', { update: 'foo-1.0-1.fc40', submitter: 'alice' })
      await waitUntil(() => received.length > 0, 'the message at the consumer')
      expect(received[0]).toMatchObject({
        topic: 'org.fedoraproject.dev.bodhi.update.request',
        signer: { name: 'bodhi' },
      })
      await new Promise((resolve) => setImmediate(resolve))
      const notices = warnings.filter(
        (w) => (w as { code?: string }).code === 'FEDMSG_DEV_DEFAULTS',
      )
      expect(notices).toHaveLength(1)
      expect(notices[0]!.message).toMatch(/bundled dev CA.*private keys are public/)
    } finally {
      process.off('warning', onWarning)
    }
  })
})

describe('a configuration named or found is used as it is', () => {
  const withoutBodhi = { max_age_seconds: 300 }
  const searchDir = join(dir, 'fedmsg.d')

  it.each([
    [
      'named by configPath',
      () => ({ ...NOTHING, configPath: configFile('named.json', withoutBodhi) }),
    ],
    [
      'named by $FEDMSG_CONFIG',
      () => ({
        ...NOTHING,
        env: { HOME: dir, FEDMSG_CONFIG: configFile('env.json', withoutBodhi) },
      }),
    ],
    [
      'found in a search directory',
      () => {
        mkdirSync(searchDir, { recursive: true })
        writeFileSync(join(searchDir, '10-bus.json'), JSON.stringify(withoutBodhi))
        return { ...NOTHING, searchDirs: [searchDir] }
      },
    ],
  ])('%s, without certs.bodhi: ERR_FEDMSG_CONFIG_INVALID', async (_how, options) => {
    await expect(
      createPublisher({ name: 'bodhi', configOptions: options() }),
    ).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      key: 'certs.bodhi',
    })
  })
})
