import { describe, expect, it } from 'vitest'
import { decodeBase64Strict } from '../../src/crypto/base64.js'

describe('decodeBase64Strict (RFC 4648 §4, canonical)', () => {
  it.each([
    ['', ''],
    ['aGk=', '6869'],
    ['aGkh', '686921'],
    ['+/8=', 'fbff'],
  ])('decodes %j', (text, hex) => {
    expect(decodeBase64Strict(text, 'x').toString('hex')).toBe(hex)
  })

  it.each([
    ['missing padding', 'aGk'],
    ['extra padding', 'aGk=='],
    ['non-zero pad bits', 'aGl='],
    ['the URL-safe alphabet', '-_8='],
    ['a line break', 'aGkh\naGkh'],
    ['whitespace', ' aGk='],
    ['a foreign character', 'aG*k'],
  ])('refuses %s as malformed', (_name, text) => {
    expect(() => decodeBase64Strict(text, 'signature')).toThrow(
      expect.objectContaining({ reason: 'malformed' }),
    )
  })
})
