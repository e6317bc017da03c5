import { describe, expect, it } from 'vitest'
import { FloodGate, type IrcLine } from '../../src/consumers/irc/flood-gate.js'

const line = (n: number): IrcLine => ({ target: '#t', text: `line ${n}` })

describe('FloodGate', () => {
  it('sends the burst at once, then one line per 1/rate seconds', () => {
    let now = 0
    const sent: string[] = []
    const gate = new FloodGate({
      linesPerSecond: 2,
      burst: 3,
      queueSize: 100,
      now: () => now,
      send: (l) => (sent.push(l.text), true),
    })
    for (let n = 0; n < 10; n += 1) gate.offer(line(n))
    expect(sent).toHaveLength(3)
    now = 500
    gate.pump()
    expect(sent).toHaveLength(4)
    now = 2000
    gate.pump()
    expect(sent).toHaveLength(7)
    gate.close()
    expect(gate.stats()).toEqual({ sent: 7, dropped: 3, queueDepth: 0 })
  })

  it('a full queue drops new lines and counts them', () => {
    const gate = new FloodGate({ linesPerSecond: 1, burst: 1, queueSize: 2, send: () => false })
    expect([1, 2, 3, 4].map((n) => gate.offer(line(n)))).toEqual([true, true, false, false])
    expect(gate.stats()).toEqual({ sent: 0, dropped: 2, queueDepth: 2 })
    gate.close()
  })

  it('lines wait while the connection is down and go out, in order, when it is back', () => {
    let up = false
    const sent: string[] = []
    const gate = new FloodGate({
      linesPerSecond: 1,
      burst: 5,
      queueSize: 10,
      send: (l) => up && (sent.push(l.text), true),
    })
    gate.offer(line(1))
    gate.offer(line(2))
    expect(sent).toEqual([])
    up = true
    gate.pump()
    expect(sent).toEqual(['line 1', 'line 2'])
    gate.close()
  })
})
