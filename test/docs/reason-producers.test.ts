/**
 * "Where is X decided?": docs/protocol.md §5.2 names, for every reason code, the files that produce it. This
 * reads the sources (comments stripped) for every place a reason is produced (`new Rejection('…'`,
 * `rejected('…'`, envelope.ts's `malformed('…'` shorthand) and checks the table says exactly that.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REJECT_REASONS } from '../../src/errors.js'

const ROOT = join(import.meta.dirname, '../..')

/**
 * The other verifiers, each with its own table in its own document: the browser verifier (docs/browser.md)
 * and the legacy Python fedmsg verifier (docs/migration.md).
 */
const OTHER_VERIFIERS = new Set(['browser', 'legacy'])

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return OTHER_VERIFIERS.has(entry.name) ? [] : sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

const withoutComments = (text: string) =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '')

/** reason → files (relative to the repository) that produce it. */
function producersInSources(): Map<string, Set<string>> {
  const producers = new Map<string, Set<string>>()
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const code = withoutComments(readFileSync(file, 'utf8'))
    for (const [, reason] of code.matchAll(
      /(?:\bnew Rejection|\brejected|\bmalformed)\(\s*'([a-z_]+)'/g,
    )) {
      const files = producers.get(reason!) ?? new Set<string>()
      producers.set(reason!, files.add(relative(ROOT, file)))
    }
  }
  return producers
}

/** reason → files, from the table of docs/protocol.md §5.2. */
function producersInDocs(): Map<string, Set<string>> {
  const text = readFileSync(join(ROOT, 'docs/protocol.md'), 'utf8')
  const section = text.split('### 5.2 Where each reason is decided')[1]!.split('\n## ')[0]!
  const table = new Map<string, Set<string>>()
  for (const [, reason, cell] of section.matchAll(/^\| `([a-z_]+)` +\| (.+?) *\|$/gm)) {
    table.set(reason!, new Set([...cell!.matchAll(/`(src\/[^`]+)`/g)].map(([, path]) => path!)))
  }
  return table
}

describe('docs/protocol.md §5.2: where each reason code is produced', () => {
  const sources = producersInSources()
  const docs = producersInDocs()

  it('lists every reason code, and only those', () => {
    expect([...docs.keys()].sort()).toEqual([...REJECT_REASONS].sort())
    expect([...sources.keys()].sort()).toEqual([...REJECT_REASONS].sort())
  })

  it.each([...REJECT_REASONS])(
    '%s: the files the table names are the files that produce it',
    (reason) => {
      expect([...(sources.get(reason) ?? [])].sort()).toEqual([...(docs.get(reason) ?? [])].sort())
    },
  )

  it('every code but malformed and replay (one per layer, two causes) has one producing file', () => {
    for (const reason of REJECT_REASONS) {
      if (reason === 'malformed' || reason === 'replay') continue
      expect({ reason, files: sources.get(reason)?.size }).toEqual({ reason, files: 1 })
    }
  })
})
