import { describe, expect, it } from 'vitest'
import { formatIrcLine, serviceColour, truncateBytes } from '../../src/consumers/irc/irc-line.js'
import type { MessageSummary } from '../../src/meta/message-summary.js'

const summary = (fields: Partial<MessageSummary>): MessageSummary => ({
  subtitle: 'lmacken submitted python-requests-2.31.0-1.fc40 to testing',
  link: undefined,
  usernames: [],
  packages: [],
  icon: undefined,
  service: 'bodhi',
  ...fields,
})
const plain = { colour: false, maxBytes: 400 }

describe('IRC lines', () => {
  it('service, subtitle and link on one line', () => {
    expect(formatIrcLine(summary({ link: 'https://bodhi.example/u/1' }), plain)).toBe(
      'bodhi: lmacken submitted python-requests-2.31.0-1.fc40 to testing https://bodhi.example/u/1',
    )
  })

  it.each([
    ['CR LF (a second IRC command)', 'a\r\nQUIT :owned', 'bodhi: a QUIT :owned'],
    ['bold, italic, underline, reset', '\x02b\x02 \x1di\x1d \x1fu\x1f\x0f', 'bodhi: b i u'],
    ['colour codes with their numbers', '\x0304,12red\x03 text', 'bodhi: red text'],
    ['NUL and ANSI escapes', 'x\x00y \x1b[31mz', 'bodhi: x y [31mz'],
  ])('%s are stripped from the text', (_name, subtitle, line) => {
    expect(formatIrcLine(summary({ subtitle }), plain)).toBe(line)
  })

  it('the service name is coloured with a two-digit code and reset, the same each time', () => {
    const line = formatIrcLine(summary({}), { colour: true, maxBytes: 400 })
    const colour = String(serviceColour('bodhi')).padStart(2, '0')
    expect(line).toBe(`\x03${colour}bodhi\x0f: ${summary({}).subtitle}`)
    expect(serviceColour('koji')).toBe(serviceColour('koji'))
  })

  it('a long summary is cut at maxBytes of UTF-8 with …, never inside a character', () => {
    const line = formatIrcLine(summary({ subtitle: 'é'.repeat(1000) }), plain)
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(400)
    expect(line.endsWith('…')).toBe(true)
    expect(line).not.toContain('\ufffd')
    expect(truncateBytes('short', 10)).toBe('short')
    expect(truncateBytes('€€€€', 9)).toBe('€€…')
  })
})
