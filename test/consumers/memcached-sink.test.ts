/**
 * MemcachedSink against a real memcached (Debian's package, started here on a free port):
 * verified message -> offer() -> lists in memory -> one writer -> set <prefix><pattern> -> memcached
 * The lists are read back over memcached's text protocol, as a web app's client would.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { VerifiedMessage } from '../../src/crypto/envelope/verified-message.js'
import { registerMemcachedMetrics } from '../../src/consumers/memcached/memcached-metrics.js'
import {
  memcachedOptionsFromConfig,
  resolveMemcachedOptions,
} from '../../src/consumers/memcached/memcached-options.js'
import { MemcachedSink } from '../../src/consumers/memcached/memcached-sink.js'
import { FedmsgError } from '../../src/errors.js'
import { createSummarizer } from '../../src/meta/summarize-message.js'
import { freePort } from '../fixtures/free-port.js'
import { startMemcached, type MemcachedServer } from '../fixtures/memcached-server.js'
import { makePki, type Pki } from '../fixtures/pki.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { signerOf } from '../crypto/pool-fixture.js'

const silent = pino({ level: 'silent' })
const summarize = createSummarizer()
let memcached: MemcachedServer
let pki: Pki
let bodhi: EnvelopeSigner
let verifier: EnvelopeVerifier
let i = 0
const sinks: MemcachedSink[] = []

beforeAll(async () => {
  memcached = await startMemcached()
  pki = await makePki('es256')
  bodhi = signerOf(pki, pki.leaf)
  verifier = new EnvelopeVerifier({ trustAnchors: pki.anchors, crls: pki.crls })
})
afterAll(async () => {
  sinks.forEach((sink) => sink.close())
  await memcached?.stop()
})

function verified(topic: string, msg: Record<string, unknown>): VerifiedMessage {
  i += 1
  const { frame } = bodhi.sign({ topic, msg, i })
  const result = verifier.verify(topic, frame)
  if (!result.ok) throw new Error(`rejected: ${result.reason}`)
  return result.message
}

function sink(options: Parameters<typeof resolveMemcachedOptions>[0]): MemcachedSink {
  const made = new MemcachedSink(options, summarize, silent)
  sinks.push(made)
  return made
}

const updates = 'org.fedoraproject.prod.bodhi.update.>'
type Stored = { pattern: string; messages: { envelope: string; summary: { service: string } }[] }
const read = async (key: string) =>
  JSON.parse((await memcached.get(key)) ?? 'null') as Stored | null

describe('MemcachedSink', () => {
  it('keeps the latest N per pattern, newest first: the envelope verbatim plus its summary', async () => {
    const keeper = sink({ servers: [memcached.address], topics: [{ pattern: updates, keep: 2 }] })
    const sent = [1, 2, 3].map((n) =>
      verified('org.fedoraproject.prod.bodhi.update.request', { n }),
    )
    sent.forEach((m) => keeper.offer(m))
    keeper.offer(verified('org.fedoraproject.prod.koji.build.tag', { other: true }))
    await waitUntil(() => keeper.stats().writes > 0 && keeper.stats().pending === 0, 'the write')
    const stored = await read(`fedmsg:${updates}`)
    expect(stored!.pattern).toBe(updates)
    expect(stored!.messages.map((m) => m.envelope)).toEqual([sent[2]!.envelope, sent[1]!.envelope])
    expect(stored!.messages[0]!.summary.service).toBe('bodhi')
    // The web app can verify what it read: the envelope is the signed bytes, unchanged.
    const again = verifier.verify(sent[2]!.topic, Buffer.from(stored!.messages[0]!.envelope))
    expect(again.ok || again.reason).toBe('replay') // verified before: only the replay check objects
    expect(keeper.stats().stored).toBe(3)
  })

  it('writes a burst as its last state, not once per message (bounded by the number of patterns)', async () => {
    const keeper = sink({
      servers: [memcached.address],
      topics: [{ pattern: updates, keep: 5 }],
      keyPrefix: 'burst:',
    })
    const burst = Array.from({ length: 200 }, (_, n) =>
      verified('org.fedoraproject.prod.bodhi.update.comment', { n }),
    )
    burst.forEach((m) => keeper.offer(m))
    expect(keeper.stats().pending).toBeLessThanOrEqual(2) // one being written, one changed since
    await waitUntil(() => keeper.stats().pending === 0 && keeper.stats().writes > 0, 'the writes')
    expect(keeper.stats().writes).toBeLessThan(200)
    const stored = await read(`burst:${updates}`)
    expect(stored!.messages[0]!.envelope).toBe(burst[199]!.envelope)
    expect(stored!.messages).toHaveLength(5)
  })

  it('counts a list memcached refuses (larger than its item size) and carries on', async () => {
    const keeper = sink({
      servers: [memcached.address],
      topics: [{ pattern: updates, keep: 3 }],
      keyPrefix: 'big:',
    })
    const big = 'x'.repeat(600_000)
    keeper.offer(verified('org.fedoraproject.prod.bodhi.update.request', { big }))
    keeper.offer(verified('org.fedoraproject.prod.bodhi.update.request', { big }))
    await waitUntil(() => keeper.stats().refused === 1, 'the refusal')
    expect(keeper.stats().pending).toBe(0)
    // memcached drops the key's older value when it refuses a new one: absent, never stale.
    expect(await read(`big:${updates}`)).toBeNull()
    keeper.offer(verified('org.fedoraproject.prod.bodhi.update.request', { small: true }))
    await waitUntil(() => keeper.stats().pending === 0, 'the next write')
    expect(keeper.stats().refused).toBe(2) // still two large ones in the latest three
    expect(keeper.stats().up).toBe(true)
  })

  it('a memcached that accepts but never answers costs a counted failure per timeout, never a hang', async () => {
    const sockets: Socket[] = []
    const mute: Server = createServer((socket) => sockets.push(socket))
    const port = await freePort()
    await new Promise<void>((resolve) => mute.listen(port, '127.0.0.1', resolve))
    try {
      const keeper = sink({
        servers: [`127.0.0.1:${port}`],
        topics: [{ pattern: updates }],
        timeoutMs: 200,
        retryMinMs: 50,
        retryMaxMs: 100,
      })
      const started = Date.now()
      keeper.offer(verified('org.fedoraproject.prod.bodhi.update.request', { n: 1 }))
      expect(Date.now() - started).toBeLessThan(1000) // offer() never waits for memcached
      await waitUntil(() => keeper.stats().failures >= 2, 'two timed-out writes', 20_000)
      expect(keeper.stats()).toMatchObject({ up: false, pending: 1, writes: 0 })
      const registry = new Registry()
      registerMemcachedMetrics(registry, () => keeper.stats())
      const text = await registry.metrics()
      expect(text).toMatch(/^fedmsg_memcached_up 0$/m)
      expect(text).toMatch(/^fedmsg_memcached_write_failures_total [1-9]/m)
      await keeper.drain(AbortSignal.abort())
    } finally {
      sockets.forEach((socket) => socket.destroy())
      await new Promise((resolve) => mute.close(resolve))
    }
  })

  it('reconnects after memcached restarts and writes the latest state', async () => {
    const keeper = sink({
      servers: [memcached.address],
      topics: [{ pattern: updates }],
      keyPrefix: 'restart:',
      retryMinMs: 50,
      retryMaxMs: 200,
    })
    keeper.offer(verified('org.fedoraproject.prod.bodhi.update.request', { n: 1 }))
    await waitUntil(() => keeper.stats().writes === 1, 'the first write')
    await memcached.stop()
    const lost = verified('org.fedoraproject.prod.bodhi.update.request', { n: 2 })
    keeper.offer(lost)
    await waitUntil(() => keeper.stats().failures >= 1, 'a failed write', 20_000)
    await memcached.start()
    await waitUntil(() => keeper.stats().writes === 2, 'the write after the restart', 20_000)
    expect(keeper.stats().up).toBe(true)
    const stored = await read(`restart:${updates}`)
    expect(stored!.messages.map((m) => m.envelope)[0]).toBe(lost.envelope)
  })
})

describe('resolveMemcachedOptions', () => {
  it.each([
    { name: 'no server', options: { servers: [], topics: [{ pattern: '>' }] } },
    {
      name: 'server without port',
      options: { servers: ['localhost'], topics: [{ pattern: '>' }] },
    },
    {
      name: 'IPv6 literal (memjs splits at the first colon)',
      options: { servers: ['[::1]:11211'], topics: [{ pattern: '>' }] },
    },
    { name: 'no topic', options: { servers: ['h:1'], topics: [] } },
    { name: 'bad pattern', options: { servers: ['h:1'], topics: [{ pattern: 'a..b' }] } },
    { name: 'keep 0', options: { servers: ['h:1'], topics: [{ pattern: '>', keep: 0 }] } },
    {
      name: 'key prefix with a space',
      options: { servers: ['h:1'], topics: [{ pattern: '>' }], keyPrefix: 'a b' },
    },
    {
      name: 'expiry past 30 days',
      options: { servers: ['h:1'], topics: [{ pattern: '>' }], expiresSeconds: 2_592_001 },
    },
    {
      name: 'a pattern twice',
      options: { servers: ['h:1'], topics: [{ pattern: '>' }, { pattern: '>' }] },
    },
  ])('$name is refused', ({ options }) => {
    // A typed error with a stable code (ConfigInvalid, or InvalidTopic for a pattern), never a bare TypeError.
    expect(() => resolveMemcachedOptions(options)).toThrow(FedmsgError)
  })
})

describe('memcachedOptionsFromConfig', () => {
  const section = {
    servers: ['a:1'],
    topics: [{ pattern: '>' }],
    key_prefix: 'p:',
    timeout_ms: 300,
  }

  it('a flag overrides its key; a flag not given leaves the config value', () => {
    const options = memcachedOptionsFromConfig(section, { servers: ['b:2'], topics: undefined })
    expect(options).toEqual({
      servers: ['b:2'],
      topics: [{ pattern: '>' }],
      keyPrefix: 'p:',
      timeoutMs: 300,
    })
  })

  it('no section and no flags give no servers and no topics (the command refuses that)', () => {
    expect(memcachedOptionsFromConfig(undefined, {})).toEqual({ servers: [], topics: [] })
  })
})
