import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cleanText, cleanUrl } from '../../src/meta/clean-text.js'
import { createSummarizer, SUMMARY_DEFAULTS } from '../../src/meta/summarize-message.js'

const RUNS = Number(process.env.FEDMSG_FUZZ_RUNS ?? 300)

describe('cleanText', () => {
  it.each([
    { name: 'newlines and tabs become one space', input: 'a\n\tb\r\nc', expected: 'a b c' },
    {
      name: 'IRC bold, colour (with its numbers) and reset are stripped',
      input: '\x02bold\x02 \x0304,12red\x0f',
      expected: 'bold red',
    },
    { name: 'an ANSI escape loses its ESC', input: '\x1b[31mred', expected: '[31mred' },
    {
      name: 'bidi overrides are stripped (Trojan Source)',
      input: 'admin\u202e\u2066txt',
      expected: 'admin txt',
    },
    // Security review: the Arabic letter mark is a bidi control too (Unicode UAX #9), and was kept.
    {
      name: 'the Arabic letter mark (U+061C, a bidi mark) is stripped',
      input: 'admin\u061ctxt',
      expected: 'admin txt',
    },
    { name: 'a lone surrogate becomes U+FFFD', input: 'a\ud800b', expected: 'a\ufffdb' },
    { name: 'emoji (surrogate pairs) are kept', input: 'ship it 🚀', expected: 'ship it 🚀' },
  ])('$name', ({ input, expected }) => {
    expect(cleanText(input, 100)).toBe(expected)
  })

  it('cuts long text at maxLength code points, the … included', () => {
    expect(cleanText('abcdefghij', 5)).toBe('abcd…')
    expect([...cleanText('🚀'.repeat(20), 5)]).toHaveLength(5)
  })

  it('a megabyte of text costs no more than maxLength: one line, bounded', () => {
    const huge = 'x\n'.repeat(1_000_000)
    const started = performance.now()
    const text = cleanText(huge, 300)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(text.length).toBe(300)
    expect(text.endsWith('…')).toBe(true)
  })
})

describe('cleanUrl', () => {
  it.each([
    ['https://bodhi.fedoraproject.org/updates/X', 'https://bodhi.fedoraproject.org/updates/X'],
    ['javascript:alert(1)', undefined],
    ['data:text/html,<script>', undefined],
    ['not a url', undefined],
    [`https://x.example/${'a'.repeat(3000)}`, undefined],
    // Security review: a link that reads as bodhi's but leads to evil.example.
    ['https://bodhi.fedoraproject.org@evil.example/updates/X', undefined],
    ['https://user:secret@bodhi.fedoraproject.org/', undefined],
  ])('%s → %s', (input, expected) => {
    expect(cleanUrl(input, 2048)).toBe(expected)
  })
})

describe('summaries of arbitrary bodies (fast-check)', () => {
  const summarize = createSummarizer()
  const services = [
    'bodhi',
    'buildsys',
    'koji',
    'fas',
    'wiki',
    'git',
    'scm',
    'pkgdb',
    'fedoratagger',
    'meetbot',
    'irc',
    'logger',
    'unknown',
  ]
  const events = [
    'update.request',
    'update.comment',
    'build.state.change',
    'tag.build',
    'user.update',
    'group.member.sponsor',
    'article.edit',
    'receive',
    'package.create',
    'tag.update',
    'meeting.complete',
    'x',
  ]
  const nasty = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({
      unit: fc.constantFrom('\x00', '\x03', '\x1b', '\n', '\u202e', '\ud800', 'a', '-', ' '),
    }),
    fc.constant('x'.repeat(200_000)),
  )
  const body = fc.dictionary(
    fc.constantFrom(
      'update',
      'comment',
      'commit',
      'agent',
      'user',
      'name',
      'owner',
      'version',
      'release',
      'new',
      'builds',
      'attendees',
      'chairs',
      'title',
      'log',
      'tag',
      'vote',
      '__proto__',
    ),
    fc.oneof(
      nasty,
      fc.jsonValue(),
      fc.array(nasty),
      fc.dictionary(fc.string(), fc.oneof(nasty, fc.jsonValue())),
    ),
  )

  it('never throws; the subtitle is one line of at most maxSubtitleLength, names and URLs bounded', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...services),
        fc.constantFrom(...events),
        body,
        nasty,
        (service, event, b, signer) => {
          const summary = summarize({
            topic: `org.fedoraproject.prod.${service}.${event}`,
            body: b,
            signer: { name: signer },
          })
          expect([...summary.subtitle].length).toBeLessThanOrEqual(
            SUMMARY_DEFAULTS.maxSubtitleLength,
          )
          expect(summary.subtitle).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u)
          expect(summary.subtitle.length).toBeGreaterThan(0)
          for (const name of [...summary.usernames, ...summary.packages]) {
            expect([...name].length).toBeLessThanOrEqual(SUMMARY_DEFAULTS.maxNameLength)
          }
          expect(summary.usernames.length).toBeLessThanOrEqual(SUMMARY_DEFAULTS.maxNames)
          if (summary.link !== undefined) expect(summary.link).toMatch(/^https?:\/\//)
        },
      ),
      { numRuns: RUNS, seed: 20_261_206 },
    )
  })
})
