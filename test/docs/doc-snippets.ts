/**
 * The fenced code blocks of README.md and docs/*.md, each with the HTML comment marker right before it, if
 * any: `<!-- example: NAME -->` (docs/protocol.md §7, run by test/crypto/protocol-examples.test.ts) or
 * `<!-- snippet: skip REASON -->` (a block that is not runnable as it stands: a diagram, a file layout).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const REPO = join(import.meta.dirname, '..', '..')

export interface DocSnippet {
  /** `README.md:42`: the document and the line of the opening fence. */
  readonly where: string
  readonly doc: string
  /** The fence's info string: `ts`, `sh`, `json`, … or ''. */
  readonly lang: string
  readonly code: string
  /** The marker comment's text (`example: eddsa-frame`, `snippet: skip …`), if the block has one. */
  readonly marker: string | undefined
}

export const DOCS = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
]

/** Every fenced block of `doc`, in order. */
export function snippetsOf(doc: string): DocSnippet[] {
  const lines = readFileSync(join(REPO, doc), 'utf8').split('\n')
  const snippets: DocSnippet[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!)
    if (open === null) continue
    const end = lines.indexOf('```', i + 1)
    if (end === -1) throw new Error(`${doc}:${i + 1}: unclosed code fence`)
    let before = i - 1
    while (before >= 0 && lines[before]!.trim() === '') before--
    const marker = /^<!-- (.+?) -->$/.exec(lines[before] ?? '')?.[1]
    snippets.push({
      where: `${doc}:${i + 1}`,
      doc,
      lang: open[1]!,
      code: lines.slice(i + 1, end).join('\n'),
      marker,
    })
    i = end
  }
  return snippets
}

export const ALL_SNIPPETS = DOCS.flatMap(snippetsOf)

/**
 * How a block is exercised:
 * - `example`: run by the test its marker names (docs/protocol.md §7 by test/crypto/protocol-examples.test.ts,
 *   the policy session by test/cli/policy.test.ts, the check command line by test/consumers/check.test.ts);
 * - `skip`: marked `<!-- snippet: skip REASON -->`;
 * - `module`: TypeScript/JavaScript, run against the installed package (doc-snippets-installed.test.ts);
 * - `shell`: commands, run against the installed package (doc-snippets-installed.test.ts);
 * - `dev-commands`: `npm …`/`npx …` of a clone: each script, binary and path named exists;
 * - `synopsis`: `fedmsg CMD [--flag …]` lines: each flag is one `fedmsg CMD --help` lists;
 * - `json`: a configuration file (schema-checked) or a routing policy (parsed);
 * - `oid`: a bare OID, the one the package exports.
 */
export type SnippetKind =
  'example' | 'skip' | 'module' | 'shell' | 'dev-commands' | 'synopsis' | 'json' | 'oid'

export function kindOf(snippet: DocSnippet): SnippetKind | undefined {
  if (snippet.marker?.startsWith('example: ')) return 'example'
  if (/^snippet: skip \S/.test(snippet.marker ?? '')) return 'skip'
  const lines = commandLines(snippet.code)
  if (['ts', 'js'].includes(snippet.lang)) return 'module'
  if (snippet.lang === 'json') return 'json'
  if (/^\d+(\.\d+)+$/.test(snippet.code.trim())) return 'oid'
  if (lines.length > 0 && lines.every((l) => /^fedmsg \w+ .*(\[--|\|)/.test(l))) return 'synopsis'
  if (snippet.lang !== 'sh') return undefined
  if (lines.every((l) => /^np[mx] /.test(l) && !/^npx fedmsg\b/.test(l))) return 'dev-commands'
  return 'shell'
}

/** The commands of a shell block: comments dropped, continuation lines joined, blank lines skipped. */
export function commandLines(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '')
}
