/**
 * Freshness and replay at the verifier: the edges of the max-age and skew windows, far-off timestamps, and
 * replays at every instant a message is still fresh. The CLI (`--now`, `--max-age`, `--skew`) judges the
 * stateless edges in one run; the library verifier, with an injected clock, judges what needs the clock to move.
 *
 *   timestamp ts:  stale  | ts+maxAge ... accepted ... ts-skew |  future      (now on the axis)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EnvelopeVerifier } from '../../src/crypto/envelope/envelope-verifier.js'
import type { Pki } from '../fixtures/pki.js'
import type { PkiFiles } from './pki-files.js'
import { expectVerdict, judgeTable, openAttackKit, type AttackCase } from './attack-kit.js'
import { expectReason, titled, verifyLines, type Verdict, type Workspace } from './cli-runner.js'
import {
  b64,
  editFrame,
  envelopeMembers,
  signedFrame,
  TOPIC,
  unsignedMembers,
} from './forge-envelope.js'

const MAX_AGE = 300_000
const SKEW = 30_000
const NOW = Date.now()

let pki: Pki
let workspace: Workspace
let files: PkiFiles

beforeAll(async () => {
  ;({ pki, workspace, files } = await openAttackKit('fedmsg-freshness-'))
})

afterAll(() => workspace?.remove())

const frameAt = (timestamp: number) =>
  signedFrame(envelopeMembers(timestamp, pki.chain), pki.leafKey)

describe('freshness and replay (fedmsg verify --now --max-age 300 --skew 30)', () => {
  const once = () => frameAt(NOW)
  let replayed: Buffer
  let genuine: Buffer
  const CASES: readonly (AttackCase & { make: () => Buffer })[] = [
    { name: 'exactly max age old', reason: 'ok', make: () => frameAt(NOW - MAX_AGE) },
    { name: '1 ms older than max age', reason: 'stale', make: () => frameAt(NOW - MAX_AGE - 1) },
    { name: 'exactly skew ahead', reason: 'ok', make: () => frameAt(NOW + SKEW) },
    { name: '1 ms further ahead than skew', reason: 'future', make: () => frameAt(NOW + SKEW + 1) },
    { name: 'ten years ahead', reason: 'future', make: () => frameAt(NOW + 10 * 365 * 86_400_000) },
    { name: 'stamped 2^53 - 1', reason: 'future', make: () => frameAt(Number.MAX_SAFE_INTEGER) },
    { name: 'stamped 1970 (timestamp 0)', reason: 'stale', make: () => frameAt(0) },
    { name: 'first copy', reason: 'ok', make: () => (replayed = once()) },
    { name: 'exact replay of the first copy', reason: 'replay', make: () => replayed },
    {
      name: 'a forged copy of the next message, sent before it',
      reason: 'bad_signature',
      make: () => {
        genuine = once()
        return editFrame(genuine, (e) => void (e.msg = { forged: true }))
      },
    },
    { name: 'the genuine message after its forged copy', reason: 'ok', make: () => genuine },
    {
      name: 'the same msg_id, honestly re-signed with another body',
      reason: 'replay',
      make: () => signedFrame({ ...unsignedMembers(replayed), msg: { other: 1 } }, pki.leafKey),
    },
    {
      name: 'the same msg_id signed by another service (koji)',
      reason: 'replay',
      make: () => {
        const x5c = [pki.otherLeaf.der, pki.intermediate.der].map(b64)
        return signedFrame({ ...unsignedMembers(replayed), x5c }, pki.otherLeaf.privateKey)
      },
    },
  ]
  let verdicts: Map<string, Verdict>

  beforeAll(async () => {
    const flags = ['--ca', files.root, '--now', new Date(NOW).toISOString()]
    const clock = ['--max-age', '300', '--skew', '30']
    verdicts = await judgeTable(workspace, CASES, (c) => c.make(), [...flags, ...clock])
  })

  it.each(titled(CASES))('%s', (_title, { name, reason }) => {
    expectVerdict(verdicts.get(name), reason)
  })

  it('without --max-age, a message from 1970 is still refused: no certificate was valid then', async () => {
    const { verdicts } = await verifyLines(workspace, [frameAt(0)], ['--ca', files.root])
    expectReason(verdicts[0], 'cert_not_yet_valid')
  })
})

describe('replay while the clock moves (library verifier, injected clock)', () => {
  /** A verifier whose clock the test sets, with small windows so every millisecond can be tried. */
  function clockedVerifier(options: {
    maxAgeMs: number
    clockSkewMs: number
    notBeforeMs?: number
  }) {
    const clock = { now: NOW }
    const verifier = new EnvelopeVerifier({
      trustAnchors: pki.anchors,
      now: () => clock.now,
      ...options,
    })
    return { clock, verify: (frame: Buffer) => verifier.verify(TOPIC, frame) }
  }

  it('bug: a message first seen at the skew edge was accepted again at the max-age edge (replay window 1 ms short)', () => {
    const { clock, verify } = clockedVerifier({ maxAgeMs: MAX_AGE, clockSkewMs: SKEW })
    const frame = frameAt(NOW)
    clock.now = NOW - SKEW
    expect(verify(frame).ok).toBe(true)
    clock.now = NOW + MAX_AGE
    expectReason(verify(frame), 'replay')
    clock.now = NOW + MAX_AGE + 1
    expectReason(verify(frame), 'stale')
  })

  it('every (first sighting, replay) pair of instants: a replay is refused for as long as the message is fresh', () => {
    const maxAgeMs = 40
    const clockSkewMs = 10
    const frame = frameAt(NOW)
    const wrong: string[] = []
    for (let first = NOW - clockSkewMs; first <= NOW + maxAgeMs; first++) {
      const { clock, verify } = clockedVerifier({ maxAgeMs, clockSkewMs })
      clock.now = first
      if (!verify(frame).ok) wrong.push(`first sighting at ${first - NOW} refused`)
      for (let again = first; again <= NOW + maxAgeMs + 1; again++) {
        clock.now = again
        const result = verify(frame)
        const expected = again > NOW + maxAgeMs ? 'stale' : 'replay'
        if (result.ok || result.reason !== expected) {
          wrong.push(
            `first ${first - NOW}, again ${again - NOW}: ${result.ok ? 'ok' : result.reason}`,
          )
        }
      }
    }
    expect(wrong).toEqual([])
  })

  it('notBeforeMs (restart floor): stamped exactly notBefore → accepted, 1 ms earlier → replay, skew earlier → replay', () => {
    const { verify } = clockedVerifier({ maxAgeMs: MAX_AGE, clockSkewMs: SKEW, notBeforeMs: NOW })
    expect(verify(frameAt(NOW)).ok).toBe(true)
    expectReason(verify(frameAt(NOW - 1)), 'replay')
    expectReason(verify(frameAt(NOW - SKEW)), 'replay')
  })
})
