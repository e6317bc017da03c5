/**
 * docs/protocol.md §2.3 gives the msg_id regular expression an implementer copies: it is the one the verifier
 * uses, character for character.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MSG_ID_PATTERN } from '../../src/crypto/envelope/envelope.js'

const protocol = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'protocol.md'), 'utf8')

describe('docs/protocol.md §2.3', () => {
  it('spells the msg_id regular expression the verifier uses', () => {
    const section = protocol.slice(protocol.indexOf('### 2.3 msg_id'))
    const block = /```\n(.*)\n```/.exec(section)?.[1]
    expect(block).toBe(MSG_ID_PATTERN.source)
  })
})
