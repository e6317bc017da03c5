/**
 * The published test vectors (test/vectors/, made by scripts/make-test-vectors.js): the verifier's verdict on
 * every one equals its `expected`, and together they cover what the README promises.
 */
import { describe, expect, it } from 'vitest'
import { ALL_ALGS } from '../../src/crypto/algorithms.js'
import { REJECT_REASONS } from '../../src/errors.js'
import {
  envelopeFramesOf,
  expectedOf,
  loadVectors,
  runVector,
  VECTOR_MEMBERS,
  type TestVector,
} from './vector-files.js'

const vectors = loadVectors()

const x5cLengthOf = (vector: TestVector): number => {
  const frame = envelopeFramesOf(vector)[0]!
  return (JSON.parse(String(frame)) as { x5c: unknown[] }).x5c.length
}
const rejected = (reason: string) => ({ ok: false, reason })
const accepted = vectors.filter(({ vector }) => expectedOf(vector).every((v) => v.ok))

describe('test vectors', () => {
  it.each(vectors)('$name', ({ vector }) => {
    expect(runVector(vector)).toEqual(expectedOf(vector))
  })

  it.each(vectors)('$name follows the file format', ({ name, vector }) => {
    expect(Object.keys(vector).filter((key) => !VECTOR_MEMBERS.has(key))).toEqual([])
    expect(typeof vector.description).toBe('string')
    const topics = [vector.topic_frame, vector.topic_frame_b64]
    const frames = [vector.envelope_frame, vector.envelope_frame_b64, vector.envelope_frames]
    if (vector.frames !== undefined) {
      expect([...topics, ...frames].filter((m) => m !== undefined)).toEqual([])
      expect(vector.frames.every((frame) => typeof frame === 'string')).toBe(true)
    } else {
      expect(topics.filter((m) => m !== undefined)).toHaveLength(1)
      expect(frames.filter((m) => m !== undefined)).toHaveLength(1)
    }
    expect(expectedOf(vector)).toHaveLength(envelopeFramesOf(vector).length)
    const allOk = expectedOf(vector).every((verdict) => verdict.ok)
    expect(name.endsWith(allOk ? '_ok' : '_fail')).toBe(true)
  })

  it('are at least 40', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(40)
  })

  // schema_invalid is the hub's check, after the verifier: no envelope vector can reach it.
  it.each(REJECT_REASONS.filter((reason) => reason !== 'schema_invalid'))(
    'reach reason %s',
    (reason) => {
      const reached = vectors.some(({ vector }) =>
        expectedOf(vector).some((verdict) => !verdict.ok && verdict.reason === reason),
      )
      expect(reached).toBe(true)
    },
  )

  it.each(ALL_ALGS)('accept a message signed with %s', (alg) => {
    expect(
      accepted.some(({ vector }) => expectedOf(vector).some((v) => v.ok && v.alg === alg)),
    ).toBe(true)
  })

  it.each([1, 3])('give a message of %i frames its verdict: malformed', (count) => {
    const counted = vectors.filter(({ vector }) => vector.frames?.length === count)
    expect(counted.length).toBeGreaterThan(0)
    for (const { vector } of counted) expect(expectedOf(vector)).toEqual([rejected('malformed')])
  })

  it.each([1, 2, 3])('accept an x5c of %i certificates', (length) => {
    expect(accepted.some(({ vector }) => x5cLengthOf(vector) === length)).toBe(true)
  })
})
