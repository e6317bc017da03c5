/**
 * koji publisher PUB -> hub SUB --verify--> consumer --context.publish--> the hub's derived publisher (bodhi's
 * certificate) PUB -> the same hub SUB --verify--> consumer … : derived messages name their source in signed
 * headers, the routing policy is applied at the source, and a consumer that derives from everything it hears
 * (its own output included) stops at derived.max_depth instead of looping.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { VerifiedMessage } from '../../src/crypto/envelope/verified-message.js'
import type { FedmsgError } from '../../src/errors.js'
import type { Consumer, ConsumeContext } from '../../src/hub/consumer.js'
import { createHub } from '../../src/hub/hub.js'
import { createPublisher } from '../../src/publisher/publisher.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, topicOf, type Bus } from './bus-fixture.js'

let bus: Bus
let policyFile: string
const open: { close(): Promise<void> }[] = []

beforeAll(async () => {
  bus = await makeBus()
  policyFile = join(bus.dir, 'policy.json')
  // bodhi (the hub's derived service) may publish only bodhi.echo; koji its own topics.
  writeFileSync(
    policyFile,
    JSON.stringify({
      default: 'deny',
      rules: [
        { topic: 'org.fedoraproject.*.koji.>', allow: ['koji'] },
        { topic: 'org.fedoraproject.*.bodhi.echo', allow: ['bodhi'] },
      ],
    }),
  )
})
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()))
})
afterAll(() => bus.cleanup())

/** A consumer that derives `bodhi.echo` from every message it gets, and remembers what happened. */
function echoer(extra?: (message: VerifiedMessage, context: ConsumeContext) => Promise<void>) {
  const seen: VerifiedMessage[] = []
  const refused: FedmsgError[] = []
  const consumer: Consumer = {
    name: 'echoer',
    topic: 'org.fedoraproject.>',
    async consume(message, context) {
      seen.push(message)
      await extra?.(message, context).catch((error: FedmsgError) => refused.push(error))
      await context
        .publish('echo', { of: message.topic })
        .catch((e: FedmsgError) => refused.push(e))
    },
  }
  return { consumer, seen, refused }
}

/** koji publishing on its endpoint; a hub hearing koji and its own derived endpoint (bodhi's). */
async function busWith(consumer: Consumer, derived?: { service: string; max_depth?: number }) {
  const [kojiAt, derivedAt] = [
    await uniqueAddress('tcp', bus.dir),
    await uniqueAddress('tcp', bus.dir),
  ]
  const config = bus.config({
    endpoints: { koji: [kojiAt], bodhi: [derivedAt] },
    routing_policy: policyFile,
    ...(derived === undefined ? {} : { derived }),
  })
  const hub = await createHub({ config, consumers: [consumer] })
  open.push(hub)
  const koji = await createPublisher({ name: 'koji', config })
  open.push(koji)
  return { hub, koji }
}

describe('derived messages (context.publish)', () => {
  it('carry the source msg_id and depth in signed headers, signed by the hub service', async () => {
    const { consumer, seen, refused } = echoer()
    const { koji } = await busWith(consumer, { service: 'bodhi' })
    await koji.publish('build.done', { nvr: 'python-requests-2.31.0-1.fc40' })
    await waitUntil(() => seen.length === 2 && refused.length === 1, 'the source and its echo')
    const [source, derived] = seen
    expect(source!.topic).toBe(topicOf('koji', 'build.done'))
    expect(derived!.topic).toBe(topicOf('bodhi', 'echo'))
    expect(derived!.signer.name).toBe('bodhi')
    expect(derived!.headers).toMatchObject({ derived_from: source!.msgId, derived_depth: '1' })
    expect(derived!.body).toEqual({ of: source!.topic })
    // Deriving again from the echo would be depth 2, past the default max_depth of 1.
    expect(refused[0]!.code).toBe('ERR_FEDMSG_DERIVATION_TOO_DEEP')
  })

  it('a consumer deriving from everything it hears stops at max_depth (loops are bounded)', async () => {
    const { consumer, seen, refused } = echoer()
    const { hub, koji } = await busWith(consumer, { service: 'bodhi', max_depth: 3 })
    await koji.publish('build.done', { n: 1 })
    await waitUntil(() => refused.length === 1, 'the refusal at depth 4', 20_000)
    expect(refused[0]!.code).toBe('ERR_FEDMSG_DERIVATION_TOO_DEEP')
    expect(seen.map((m) => m.headers.derived_depth)).toEqual([undefined, '1', '2', '3'])
    // Each derived message names the one before it.
    for (let n = 1; n < seen.length; n += 1) {
      expect(seen[n]!.headers.derived_from).toBe(seen[n - 1]!.msgId)
    }
    expect(hub.stats().rejected.policy_denied).toBe(0)
  })

  it('a topic the routing policy does not let the hub certificate publish is refused at the source', async () => {
    const { consumer, seen, refused } = echoer((message, context) =>
      message.topic.includes('.koji.') ? context.publish('forbidden', {}) : Promise.resolve(),
    )
    const { hub, koji } = await busWith(consumer, { service: 'bodhi' })
    await koji.publish('build.done', { n: 1 })
    await waitUntil(() => refused.length === 2, 'the refusals')
    const denied = refused.find((e) => e.code === 'ERR_FEDMSG_POLICY_DENIED')!
    expect(denied).toMatchObject({ topic: topicOf('bodhi', 'forbidden'), signer: 'bodhi' })
    expect(seen.map((m) => m.topic)).toEqual([
      topicOf('koji', 'build.done'),
      topicOf('bodhi', 'echo'),
    ])
    expect(hub.stats().rejected.policy_denied).toBe(0) // never sent, so no hub had to reject it
  })

  it('a hub without a derived section refuses context.publish with ConfigInvalid', async () => {
    const { consumer, seen, refused } = echoer()
    const { koji } = await busWith(consumer)
    await koji.publish('build.done', { n: 1 })
    await waitUntil(() => refused.length === 1, 'the refusal')
    expect(refused[0]).toMatchObject({ code: 'ERR_FEDMSG_CONFIG_INVALID', key: 'derived' })
    expect(seen).toHaveLength(1)
  })
})
