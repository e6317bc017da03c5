/**
 * docs/api.md lists every export of `fedmsg` (src/index.ts) and `fedmsg/internal` (src/internal.ts), values and
 * types apart, and nothing else (issue #13 item 4). The names come from the entry files' `export { … }` and
 * `export type { … }` lists; the values are checked again against what the built modules really export.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from './doc-snippets.js'

interface Listed {
  readonly values: string[]
  readonly types: string[]
}

/** The names an entry file exports, by kind: `export * as ns` counts as a value. */
function exportsOf(file: string): Listed {
  const source = readFileSync(join(REPO, file), 'utf8')
  const listed: Listed = { values: [], types: [] }
  for (const [, type, names] of source.matchAll(/^export (type )?\{([^}]*)\}/gm)) {
    const list = names!.split(',').map((name) => name.trim())
    ;(type ? listed.types : listed.values).push(...list.filter(Boolean))
  }
  for (const [, name] of source.matchAll(/^export \* as (\w+)/gm)) listed.values.push(name!)
  expect(source, `${file}: no export * from an internal module`).not.toMatch(/^export \* from/m)
  return { values: listed.values.sort(), types: listed.types.sort() }
}

/** The `- \`name\`` items of docs/api.md under `## \`entry\``, by `### Values` / `### Types`. */
function documented(entry: string): Listed {
  const doc = readFileSync(join(REPO, 'docs/api.md'), 'utf8')
  const section = doc.split(/^## /m).find((part) => part.startsWith(`\`${entry}\`\n`))
  if (section === undefined) throw new Error(`docs/api.md has no section ## \`${entry}\``)
  const [, values = '', types = ''] = section.split(/^### (?:Values|Types)\n/m)
  const names = (text: string) => [...text.matchAll(/^- `(\w+)`: \S/gm)].map((m) => m[1]!).sort()
  return { values: names(values), types: names(types) }
}

describe('docs/api.md', () => {
  it.each([
    ['fedmsg', 'src/index.ts', '../../dist/index.js'],
    ['fedmsg/internal', 'src/internal.ts', '../../dist/internal.js'],
  ])('lists exactly what %s exports, each with one line', async (entry, file, built) => {
    const exported = exportsOf(file)
    expect(documented(entry)).toEqual(exported)
    const runtime = Object.keys((await import(built)) as object).sort()
    expect(runtime).toEqual(exported.values)
  })

  it('keeps the root small: what the README and docs teach', () => {
    const root = exportsOf('src/index.ts')
    expect(root.values.length).toBeLessThanOrEqual(30)
    // The issue names these as internals the root must not carry.
    for (const name of [
      'ChainValidator',
      'InlineVerifier',
      'VerifierPool',
      'createVerifierFromConfig',
    ]) {
      expect(root.values).not.toContain(name)
    }
  })

  it('and package.json maps both entries, with their types', () => {
    const { exports } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>
    }
    expect(exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' })
    expect(exports['./internal']).toEqual({
      types: './dist/internal.d.ts',
      default: './dist/internal.js',
    })
  })
})
