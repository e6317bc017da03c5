/**
 * Sequence tracking: per (signer, session) the hub follows `i` of verified messages.
 * raw XPUB --i=1,2,4--> hub SUB: one gap of one message; then silence -> reported once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnvelopeSigner } from '../../src/crypto/envelope/envelope-signer.js'
import { createHub } from '../../src/hub/hub.js'
import { SequenceTracker } from '../../src/hub/sequence-tracker.js'
import { uniqueAddress } from '../fixtures/free-port.js'
import { waitUntil } from '../fixtures/wait-until.js'
import { makeBus, rawPublisher, recorder, topicOf, type Bus } from './bus-fixture.js'

const bodhiS1 = { signer: 'bodhi', session: 's1' }

describe('SequenceTracker', () => {
  it.each([
    { name: 'first message', sequence: [5], last: { type: 'first' } },
    { name: 'next in order', sequence: [1, 2], last: { type: 'next' } },
    { name: 'a skipped i is a gap', sequence: [1, 2, 4], last: { type: 'gap', missing: 1 } },
    { name: 'a jump of 10 is 9 missing', sequence: [1, 11], last: { type: 'gap', missing: 9 } },
    { name: 'a lower i is a restart', sequence: [7, 8, 1], last: { type: 'restart', previous: 8 } },
    {
      name: 'the same i again is a restart',
      sequence: [3, 3],
      last: { type: 'restart', previous: 3 },
    },
  ])('$name', ({ sequence, last }) => {
    const tracker = new SequenceTracker({ silentAfterMs: 1000 })
    const results = sequence.map((i) => tracker.observe(bodhiS1, i, 0))
    expect(results.at(-1)).toEqual(last)
  })

  it.each([
    {
      name: 'started after the hub: i - 1 missing',
      sessionStart: 2000,
      last: { type: 'gap', missing: 4 },
    },
    { name: 'started before the hub: not a loss', sessionStart: 999, last: { type: 'first' } },
    { name: 'no session_start: not known', sessionStart: undefined, last: { type: 'first' } },
  ])('a session first heard at i = 5, $name', ({ sessionStart, last }) => {
    const tracker = new SequenceTracker({ silentAfterMs: 1000, startGapsAfter: 1000 })
    expect(tracker.observe(bodhiS1, 5, 3000, sessionStart)).toEqual(last)
    expect(tracker.stats().gaps).toBe(last.type === 'gap' ? 4 : 0)
  })

  it('sessions of one signer are tracked apart', () => {
    const tracker = new SequenceTracker({ silentAfterMs: 1000 })
    tracker.observe(bodhiS1, 1, 0)
    expect(tracker.observe({ signer: 'bodhi', session: 's2' }, 1, 0)).toEqual({ type: 'first' })
    expect(tracker.observe(bodhiS1, 2, 0)).toEqual({ type: 'next' })
    expect(tracker.stats()).toMatchObject({ publishers: 2, gaps: 0 })
  })

  it('a silent publisher is reported once, and again only after it spoke', () => {
    const tracker = new SequenceTracker({ silentAfterMs: 100 })
    tracker.observe(bodhiS1, 1, 0)
    expect(tracker.takeNewlySilent(99)).toEqual([])
    expect(tracker.takeNewlySilent(100)).toEqual([bodhiS1])
    expect(tracker.takeNewlySilent(500)).toEqual([])
    tracker.observe(bodhiS1, 2, 600)
    expect(tracker.stats()).toMatchObject({ silent: 0, silentReports: 1 })
    expect(tracker.takeNewlySilent(700)).toEqual([bodhiS1])
  })

  it('a publisher that said goodbye is forgotten: never silent, counted finished', () => {
    const tracker = new SequenceTracker({ silentAfterMs: 100 })
    tracker.observe(bodhiS1, 1, 0)
    expect(tracker.finish(bodhiS1, 3, 10)).toEqual({ type: 'gap', missing: 1 })
    expect(tracker.takeNewlySilent(1000)).toEqual([])
    expect(tracker.stats()).toMatchObject({ publishers: 0, silent: 0, finished: 1, gaps: 1 })
  })

  it('memory is bounded: the longest-unheard publisher is forgotten', () => {
    const tracker = new SequenceTracker({ silentAfterMs: 100, maxPublishers: 2 })
    tracker.observe({ signer: 'a', session: undefined }, 1, 0)
    tracker.observe({ signer: 'b', session: undefined }, 1, 0)
    tracker.observe({ signer: 'a', session: undefined }, 2, 1)
    tracker.observe({ signer: 'c', session: undefined }, 1, 2)
    expect(tracker.stats().publishers).toBe(2)
    expect(tracker.observe({ signer: 'b', session: undefined }, 2, 3)).toEqual({ type: 'first' })
  })

  // Security review: a compromised service signing a new `session` header per message pushed every other
  // publisher out of the tracker, so the one that then went silent was never reported.
  it('one signer flooding new sessions forgets its own, never another signer’s', () => {
    const tracker = new SequenceTracker({ silentAfterMs: 100, maxPublishers: 100 })
    tracker.observe(bodhiS1, 1, 0)
    for (let n = 0; n < 1000; n += 1) tracker.observe({ signer: 'evil', session: `s${n}` }, 1, 50)
    expect(tracker.stats().publishers).toBeLessThanOrEqual(100)
    expect(tracker.takeNewlySilent(120)).toContainEqual(bodhiS1)
  })
})

describe('hub sequence tracking', () => {
  let bus: Bus
  let bodhi: EnvelopeSigner
  beforeAll(async () => {
    bus = await makeBus()
    bodhi = bus.signerFor(bus.pki.leaf)
  })
  afterAll(() => bus.cleanup())

  it('counts a skipped i as a gap, then reports the silent publisher once', async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const source = await rawPublisher(address)
    const seen = recorder('org.fedoraproject.>')
    const config = bus.config({ endpoints: { bodhi: [address] }, heartbeat_interval_ms: 50 })
    const hub = await createHub({ config, consumers: [seen] })
    try {
      await source.subscribed()
      for (const i of [1, 2, 4]) {
        const { topic, frame } = bodhi.sign({
          topic: topicOf('bodhi', 'update'),
          msg: { i },
          i,
          headers: { session: 's1' },
        })
        await source.send([topic, frame])
      }
      await seen.received(3)
      expect(hub.stats().sequence).toMatchObject({ gaps: 1, gapEvents: 1, publishers: 1 })

      // No heartbeat follows: after 3 heartbeat intervals the publisher is silent.
      await waitUntil(
        () => hub.stats().sequence.silent === 1,
        'the publisher to be reported silent',
      )
      expect(hub.stats().sequence.silentReports).toBe(1)
    } finally {
      await hub.close()
      source.socket.close()
    }
  })

  it('a session that started after the hub and is first heard at i = 3 lost 2 at its start', async () => {
    const address = await uniqueAddress('tcp', bus.dir)
    const source = await rawPublisher(address)
    const seen = recorder('org.fedoraproject.>')
    const config = bus.config({ endpoints: { bodhi: [address] }, clock_skew_seconds: 1 })
    const hub = await createHub({ config, consumers: [seen] })
    try {
      await source.subscribed()
      // Past the hub's start by more than the clock skew: the hub was listening when i = 1 was sent.
      const sessionStart = String(hub.startedAt + 1001)
      for (const i of [3, 4]) {
        const { topic, frame } = bodhi.sign({
          topic: topicOf('bodhi', 'update'),
          msg: { i },
          i,
          headers: { session: 's2', session_start: sessionStart },
        })
        await source.send([topic, frame])
      }
      await seen.received(2)
      expect(hub.stats().sequence).toMatchObject({ gaps: 2, gapEvents: 1 })
    } finally {
      await hub.close()
      source.socket.close()
    }
  })
})
