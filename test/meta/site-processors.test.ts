/**
 * fedmsg.d/20-site.json: "summary_processors": [{ "module": "processors/backup.mjs" }] → loadConfig resolves
 * the path against the file's directory → createSummarizerFromConfig imports it, before the built-ins.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { createSummarizer as createFromIndex } from '../../src/index.js'
import { createSummarizer } from '../../src/meta/summarize-message.js'
import { createSummarizerFromConfig } from '../../src/meta/summarizer-from-config.js'

const DOC = readFileSync(resolve(import.meta.dirname, '../../docs/summaries.md'), 'utf8')
/** The fenced block after `<!-- example: NAME -->` in docs/summaries.md. */
const block = (name: string): string => {
  const found = new RegExp(
    `<!-- example: ${name} -->\\n\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``,
  ).exec(DOC)
  if (found === null) throw new Error(`docs/summaries.md has no example block "${name}"`)
  return found[1]!
}

let dir: string
const configDir = () => join(dir, 'fedmsg.d')

function writeSite(processors: readonly string[]): void {
  writeFileSync(
    join(configDir(), '20-site.json'),
    JSON.stringify({ summary_processors: processors.map((module) => ({ module })) }),
  )
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-meta-'))
  mkdirSync(join(dir, 'fedmsg.d/processors'), { recursive: true })
  writeFileSync(join(dir, 'fedmsg.d/processors/backup.mjs'), block('summary-processor-module'))
  writeFileSync(
    join(dir, 'fedmsg.d/processors/claim-bodhi.mjs'),
    `export default { name: 'site-bodhi', services: ['bodhi'], summarize: () => ({ subtitle: 'ours' }) }\n`,
  )
  writeFileSync(join(dir, 'fedmsg.d/processors/broken.mjs'), `export default { name: 'x' }\n`)
  writeFileSync(
    join(dir, 'fedmsg.d/processors/thrower.mjs'),
    `export const processor = { name: 'thrower', services: ['thrower'], summarize() { throw new Error('boom') } }\n`,
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const message = (topic: string, body: Record<string, unknown> = {}) => ({
  topic,
  body,
  signer: { name: 'svc' },
})

describe('summary_processors: site processors registered in the configuration', () => {
  it('docs/summaries.md example: the module path resolves against its config file', async () => {
    writeFileSync(join(configDir(), '20-site.json'), block('summary-processor-config'))
    const { config } = loadConfig({ configPath: configDir() })
    expect(config.summary_processors).toEqual([
      { module: join(configDir(), 'processors/backup.mjs') },
    ])
    const summarize = await createSummarizerFromConfig(config)
    const body = { host: 'db01', operator: 'kevin' }
    expect(summarize(message('org.fedoraproject.dev.backup.run.complete', body))).toEqual({
      service: 'backup',
      subtitle: 'backup run.complete on db01',
      link: 'https://backup.example.org/runs/db01',
      usernames: ['kevin'],
      packages: [],
      icon: 'https://backup.example.org/icon.png',
    })
    // A body without the operator: the undefined name is dropped, not printed.
    expect(summarize(message('org.fedoraproject.dev.backup.run.start')).usernames).toEqual([])
  })

  it('a site processor naming a built-in service replaces the built-in one', async () => {
    writeSite(['processors/claim-bodhi.mjs'])
    const summarize = await createSummarizerFromConfig(
      loadConfig({ configPath: configDir() }).config,
    )
    expect(summarize(message('org.fedoraproject.dev.bodhi.update.request'))).toMatchObject({
      service: 'site-bodhi',
      subtitle: 'ours',
    })
  })

  it('docs/summaries.md "From code" example', () => {
    const summarize = createFromIndex({ topicPrefix: 'org.fedoraproject' })
    const summary = summarize({
      topic: 'org.fedoraproject.prod.bodhi.update.request.testing',
      body: { update: { alias: 'FEDORA-2024-1', title: 'kernel-6.8.9-300.fc40' }, agent: 'adamw' },
      signer: { name: 'bodhi' },
    })
    expect(summary.subtitle).toBe('adamw submitted kernel-6.8.9-300.fc40 to testing')
    expect(summary.link).toBe('https://bodhi.fedoraproject.org/updates/FEDORA-2024-1')
    expect(DOC).toContain(`// summary.subtitle: '${summary.subtitle}'`)
    expect(DOC).toContain(`// summary.link: '${summary.link}'`)
  })

  it('a module that exports no processor is ERR_FEDMSG_CONFIG_INVALID naming the key', async () => {
    writeSite(['processors/claim-bodhi.mjs', 'processors/broken.mjs'])
    const { config } = loadConfig({ configPath: configDir() })
    await expect(createSummarizerFromConfig(config)).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      key: 'summary_processors[1].module',
    })
  })

  it('a missing module is ERR_FEDMSG_CONFIG_INVALID', async () => {
    writeSite(['processors/absent.mjs'])
    const { config } = loadConfig({ configPath: configDir() })
    await expect(createSummarizerFromConfig(config)).rejects.toMatchObject({
      code: 'ERR_FEDMSG_CONFIG_INVALID',
      key: 'summary_processors[0].module',
    })
  })

  it('a processor that throws gets the fallback summary and is reported', async () => {
    writeSite(['processors/thrower.mjs'])
    const { config } = loadConfig({ configPath: configDir() })
    const failures: string[] = []
    const summarize = await createSummarizerFromConfig(config, {
      onProcessorError: (name) => failures.push(name),
    })
    expect(summarize(message('org.fedoraproject.dev.thrower.x')).subtitle).toBe(
      'svc published org.fedoraproject.dev.thrower.x',
    )
    expect(failures).toEqual(['thrower'])
  })

  it('a processor returning no subtitle counts as failed', () => {
    const failures: string[] = []
    const summarize = createSummarizer({
      processors: [{ name: 'empty', services: ['empty'], summarize: () => ({ subtitle: '  ' }) }],
      onProcessorError: (name) => failures.push(name),
    })
    expect(summarize(message('org.fedoraproject.dev.empty.x')).service).toBe('empty')
    expect(failures).toEqual(['empty'])
  })
})
