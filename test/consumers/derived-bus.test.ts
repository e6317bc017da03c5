/**
 * fedmsg logger DEALER -> fedmsg relay ROUTER --verify--> PUB -> fedmsg hub SUB --verify-->
 *   examples/consumers/colorizer.js --context.publish--> the hub's derived publisher (service "hub") PUB
 *   -> a second hub SUB --verify--> recorder: the derived message verifies and names its source msg_id.
 *
 * Real processes on the bundled dev CA, and a second hub in this process; probes go through until the
 * second hub sees a summary (the subscriptions settle asynchronously).
 */
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHub } from '../../src/hub/hub.js'
import { loadConfig } from '../../src/config/load-config.js'
import { makeCliBus, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, REPO, runCli, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { recorder } from '../transport/bus-fixture.js'

let bus: CliBus
const children: CliProcess[] = []
const open: { close(): Promise<void> }[] = []
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

beforeAll(() => {
  for (const command of ['relay', 'logger', 'hub']) assertBuilt(command)
  bus = makeCliBus(['logger', 'hub'])
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()))
  await Promise.all(children.splice(0).map((child) => child.kill()))
})
afterAll(() => bus?.cleanup())

describe('derived messages between real hubs', () => {
  it('a hub consumer derives a message; a second hub verifies it and sees the source msg_id', async () => {
    const [inbound, outbound, derivedAt] = [await tcp(), await tcp(), await tcp()]
    const config = bus.writeConfig('derive', {
      relay_inbound: inbound,
      relay_outbound: outbound,
      endpoints: { hub: [derivedAt] },
      derived: { service: 'hub' },
      consumers: [{ module: join(REPO, 'examples/consumers/colorizer.js') }],
    })
    const relay = startCli(['relay', '--config', config], { cwd: bus.dir })
    children.push(relay)
    await relay.line('stderr', (line) => line.includes('"relay started"'))
    const hub = startCli(['hub', '--config', config], { cwd: bus.dir })
    children.push(hub)
    const started = await hub.line('stderr', (line) => line.includes('"hub started"'))
    expect(JSON.parse(started).consumers).toContain('colorizer')
    // The second hub hears the relay (the originals) and the first hub's derived endpoint.
    const seen = recorder(['org.fedoraproject.dev.logger.>', 'org.fedoraproject.dev.hub.summary'])
    const second = await createHub({
      // The same trust and CRLs, but none of the first hub's consumers or derived publisher.
      config: {
        ...loadConfig({ configPath: config, cwd: bus.dir, env: {}, searchDirs: [] }).config,
        consumers: [],
        derived: undefined,
      },
      connect: [outbound, derivedAt],
      consumers: [seen],
      stateDir: null,
    })
    open.push(second)
    const summaries = () => seen.messages.filter((m) => m.topic.endsWith('.hub.summary'))
    const log = (text: string) =>
      runCli(['logger', '--config', config, '--topic', 'note', '--message', text], { cwd: bus.dir })
    for (let probe = 1; summaries().length === 0; probe += 1) {
      expect((await log(`probe ${probe}`)).code).toBe(0)
      try {
        await waitUntil(() => summaries().length > 0, 'a derived summary', 2000)
      } catch (error) {
        if (probe === 10) throw error
      }
    }
    seen.messages.splice(0)
    expect((await log('colour me')).code).toBe(0)
    await waitUntil(
      () => summaries().length === 1 && seen.messages.length === 2,
      'the original and its summary',
      15_000,
    )
    const original = seen.messages.find((m) => m.topic === 'org.fedoraproject.dev.logger.note')!
    const [derived] = summaries()
    expect(derived!.signer.name).toBe('hub')
    expect(derived!.headers).toMatchObject({ derived_from: original.msgId, derived_depth: '1' })
    expect(derived!.body).toMatchObject({
      topic: 'org.fedoraproject.dev.logger.note',
      signer: 'logger',
      subtitle: 'colour me (logger)',
      service: 'logger',
    })
    expect(derived!.body.colour).toMatch(/^#[0-9a-f]{6}$/)
    // The colorizer skips derived messages (it hears its own summaries): nothing was refused.
    hub.child.kill('SIGTERM')
    expect(await hub.exited).toBe(0)
    expect(hub.stderr.join('\n')).not.toContain('ERR_FEDMSG_DERIVATION_TOO_DEEP')
  })
})
