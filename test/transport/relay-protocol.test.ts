import { describe, expect, it } from 'vitest'
import { REJECT_REASONS } from '../../src/errors.js'
import { decodeAck, encodeAck, RequestIds, requestKey } from '../../src/transport/relay-protocol.js'

describe('relay acknowledgements', () => {
  it('ok round-trips', () => {
    expect(encodeAck().toString()).toBe('ok')
    expect(decodeAck(encodeAck())).toEqual({ ok: true })
  })

  it.each(REJECT_REASONS)('rejected:%s round-trips', (reason) => {
    expect(decodeAck(encodeAck(reason))).toEqual({ ok: false, reason })
  })

  it.each(['', 'OK', 'rejected:', 'rejected:nonsense', 'okay'])(
    'an unknown status %j reads as a malformed rejection, never as success',
    (status) => {
      expect(decodeAck(Buffer.from(status))).toEqual({ ok: false, reason: 'malformed' })
    },
  )

  it('request ids are 8-byte frames, unique per publisher', () => {
    const ids = new RequestIds()
    const keys = Array.from({ length: 1000 }, () => ids.next()).map((frame) => {
      expect(frame).toHaveLength(8)
      return requestKey(frame)
    })
    expect(new Set(keys).size).toBe(1000)
  })
})
