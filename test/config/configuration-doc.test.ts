import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONFIG_KEYS } from '../../src/config/config-schema.js'
import { DEFAULT_CONFIG } from '../../src/config/config-types.js'

const DOC = readFileSync(resolve(import.meta.dirname, '../../docs/configuration.md'), 'utf8')

/** Rows of the "## Keys" table: key → default column. */
function documentedDefaults(): Map<string, string> {
  const section = DOC.split('\n## Keys\n')[1]!.split('\n## ')[0]!
  const rows = new Map<string, string>()
  for (const line of section.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim())
    const key = /^`([a-z_]+)`$/.exec(cells[1] ?? '')
    if (key) rows.set(key[1]!, cells[3]!)
  }
  return rows
}

describe('docs/configuration.md is in sync with the schema and the defaults', () => {
  it('documents every key of the schema, and no other', () => {
    expect([...documentedDefaults().keys()]).toEqual([...CONFIG_KEYS])
  })

  it('gives each key the default DEFAULT_CONFIG has, or "absent"', () => {
    const defaults = DEFAULT_CONFIG as unknown as Record<string, unknown>
    for (const [key, documented] of documentedDefaults()) {
      const expected = key in defaults ? `\`${JSON.stringify(defaults[key])}\`` : /^absent/
      expect(documented, key).toMatch(expected)
    }
  })
})
