/** The soak's counting, on made-up runs: the zeros the soak prints mean something only if these hold. */
import { describe, expect, it } from 'vitest'
import { IN_FLIGHT_MS, longestRun, slopePerMinute, soakVerdict } from './soak-report.js'

const ack = (soakId: string, at: number, service = 's1') => ({ soakId, at, service })
const dispatch = (soakId: string, msgId = `m-${soakId}`) => ({ soakId, msgId })
const hubKill = { what: 'hub SIGKILL', at: 10_000, readyAt: 12_000 }

describe('soakVerdict', () => {
  it.each([
    {
      name: 'an acknowledged message never dispatched, far from any fault, is lost',
      acks: [ack('a', 1_000), ack('b', 2_000)],
      dispatches: [dispatch('b')],
      expected: { acknowledgedButLost: 1, lostInFaultWindows: 0 },
    },
    {
      name: 'one acknowledged in flight just before a hub kill is excused',
      acks: [ack('a', hubKill.at - IN_FLIGHT_MS + 1), ack('b', 13_000)],
      dispatches: [dispatch('b')],
      expected: { acknowledgedButLost: 0, lostInFaultWindows: 1 },
    },
    {
      name: 'the window closes at the first message dispatched after the restart',
      acks: [ack('a', 11_000), ack('b', 13_000), ack('c', 14_000)],
      dispatches: [dispatch('b')],
      expected: { acknowledgedButLost: 1, lostInFaultWindows: 1 },
    },
    {
      name: 'a window of one service excuses no other',
      faults: [{ what: 'victim revoked', at: 0, readyAt: Infinity, service: 'victim' }],
      acks: [ack('a', 1_000, 'victim'), ack('b', 1_000, 's1')],
      dispatches: [],
      expected: { acknowledgedButLost: 1, lostInFaultWindows: 1 },
    },
    {
      name: 'one msg_id dispatched three times is two duplicates',
      acks: [ack('a', 1_000)],
      dispatches: [dispatch('a', 'm1'), dispatch('a', 'm1'), dispatch('a', 'm1')],
      expected: { duplicatesDispatched: 2, dispatched: 3 },
    },
    {
      name: 'anything the attacker made that got dispatched is a forgery',
      acks: [],
      dispatches: [dispatch('forged-3'), dispatch('forged-revoked-5'), dispatch('ahead-1')],
      expected: { forgedDispatched: 2 },
    },
  ])('$name', ({ acks, dispatches, expected, ...rest }) => {
    const faults = 'faults' in rest ? rest.faults! : [hubKill]
    expect(soakVerdict(acks, dispatches, faults)).toMatchObject(expected)
  })
})

describe('RSS slope', () => {
  it('is the least-squares slope per minute', () => {
    expect(
      slopePerMinute([
        [0, 10],
        [30_000, 15],
        [60_000, 20],
      ]),
    ).toBeCloseTo(10)
    expect(slopePerMinute([[0, 10]])).toBe(0)
  })

  it('is taken over the longest-lived process, without its first sample', () => {
    const samples = [
      { at: 0, hub: 100, hubStart: 1, relayStart: 1 },
      { at: 1, hub: 900, hubStart: 2, relayStart: 1 },
      { at: 2, hub: 110, hubStart: 2, relayStart: 1 },
      { at: 3, hub: 120, hubStart: 2, relayStart: 1 },
    ]
    expect(longestRun(samples, 'hub')).toEqual([
      [2, 110],
      [3, 120],
    ])
  })
})
