/** `fedmsg query --pretty`: one line per message; colour only for a terminal, never from the message. */
import { describe, expect, it } from 'vitest'
import { createSummarizer } from '../../src/meta/summarize-message.js'
import { prettyLine } from '../../src/store/pretty-line.js'
import { row } from './store-backends.js'

const TOPIC = 'org.fedoraproject.prod.bodhi.update.request'
const stored = (msg: unknown) => ({
  ...row({ msgId: 'p', topic: TOPIC }),
  id: 1,
  envelope: JSON.stringify({ topic: TOPIC, msg }),
})
const summarize = createSummarizer()
const TIME = new Date(row({ msgId: 'p' }).timestamp).toISOString()

describe('prettyLine', () => {
  it('time, topic, signer and the summary subtitle; plain text when not a terminal', () => {
    const line = prettyLine(
      stored({ agent: 'ralph', update: { title: 'glibc-2.39-1.fc40' } }),
      summarize,
      false,
    )
    expect(line).toBe(`${TIME} ${TOPIC} bodhi ralph submitted glibc-2.39-1.fc40 to its target`)
  })

  it('colours time, topic and signer on a terminal', () => {
    const line = prettyLine(stored({ agent: 'ralph' }), summarize, true)
    expect(
      line.startsWith(
        `\u001b[2m${TIME}\u001b[0m \u001b[36m${TOPIC}\u001b[0m \u001b[32mbodhi\u001b[0m `,
      ),
    ).toBe(true)
  })

  it('a body that tries to write escape codes is cleaned by the summarizer', () => {
    const line = prettyLine(stored({ agent: 'ralph\u001b[31m\u0007' }), summarize, false)
    expect([...line].some((c) => c.charCodeAt(0) < 0x20)).toBe(false)
  })

  it('an envelope whose msg is not an object still gets the fallback summary', () => {
    expect(prettyLine(stored('text'), summarize, false)).toContain(' bodhi ')
  })
})
