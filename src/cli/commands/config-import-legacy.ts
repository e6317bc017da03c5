import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { ConfigInvalid } from '../../errors.js'
import type { LegacyImport } from '../../legacy/config-import/translate-legacy-config.js'

interface ImportLegacyFlags {
  readonly out?: string
  readonly python?: string
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** Writes `text` to a new file; an existing one is never overwritten. */
function writeNew(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx' })
  } catch (error) {
    throw new ConfigInvalid(
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists; remove it or choose another --out' : 'check the directory'}`,
      { file: path },
      { cause: error },
    )
  }
}

/** fedmsg.json (with routing_policy naming routing-policy.json), routing-policy.json, legacy-bridge.json. */
function writeOut(dir: string, imported: LegacyImport): void {
  mkdirSync(dir, { recursive: true })
  const { config, routingPolicy, bridge } = imported
  if (routingPolicy !== undefined) writeNew(join(dir, 'routing-policy.json'), json(routingPolicy))
  writeNew(
    join(dir, 'fedmsg.json'),
    json(
      routingPolicy === undefined ? config : { ...config, routing_policy: 'routing-policy.json' },
    ),
  )
  writeNew(join(dir, 'legacy-routing-policy.json'), json(bridge.legacyRoutingPolicy))
  writeNew(join(dir, 'legacy-bridge.json'), json(bridge))
}

/**
 * `fedmsg config import-legacy DIR [--out OUTDIR] [--python PYTHON]`: translates a Python fedmsg fedmsg.d
 * directory (docs/migration.md). Prints `{config, routing_policy, bridge, notes}` as JSON, or writes the files
 * to OUTDIR and the notes to stderr. Exit 0; 2 when a file cannot be read or an output exists.
 */
export function registerConfigImportLegacy(config: Command): void {
  config
    .command('import-legacy')
    .description("translate Python fedmsg's fedmsg.d/*.py into this project's configuration")
    .argument('<dir>', 'the fedmsg.d directory')
    .option(
      '--out <dir>',
      'write fedmsg.json, routing-policy.json, legacy-routing-policy.json and legacy-bridge.json there',
    )
    .option(
      '--python <interpreter>',
      'run the files with this Python 3, as Python fedmsg does (default: read literals only)',
    )
    .action(async (dir: string, flags: ImportLegacyFlags) => {
      const { readLegacyConfig } = await import('../../legacy/config-import/read-legacy-config.js')
      const { translateLegacyConfig } =
        await import('../../legacy/config-import/translate-legacy-config.js')
      const imported = translateLegacyConfig(
        readLegacyConfig(dir, flags.python === undefined ? {} : { python: flags.python }),
      )
      if (flags.out === undefined) {
        const { config: translated, routingPolicy, bridge, notes } = imported
        process.stdout.write(
          json({ config: translated, routing_policy: routingPolicy ?? null, bridge, notes }),
        )
        return
      }
      writeOut(flags.out, imported)
      for (const note of imported.notes) process.stderr.write(`fedmsg: ${note}\n`)
    })
}
