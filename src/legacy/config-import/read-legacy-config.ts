import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigInvalid, ConfigNotFound } from '../../errors.js'
import { readPythonConfigLiteral } from './python-config-literal.js'

/** How the fedmsg.d files are read: as literals (default), or run by a Python interpreter. */
export interface ReadLegacyConfigOptions {
  /** A Python 3 interpreter: each file is then executed as Python fedmsg's own loader does. */
  readonly python?: string
}

// Python fedmsg's loader (fedmsg/config.py _process_config_file): execfile each file, deep-merge its `config`.
// Values JSON cannot hold (a set, an object) are printed with str(); the translation refuses what it needs.
const PYTHON_READER = `
import json, sys
def merge(a, b):
    for k, v in b.items():
        a[k] = merge(a[k], v) if isinstance(a.get(k), dict) and isinstance(v, dict) else v
    return a
config = {}
for name in sys.argv[1:]:
    scope = {"__file__": name}
    exec(compile(open(name, encoding="utf-8").read(), name, "exec"), scope)
    config = merge(config, scope["config"])
print(json.dumps(config, default=str))
`

function merge(
  into: Record<string, unknown>,
  from: Record<string, unknown>,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(from)) {
    const old = into[key]
    const both = isObject(old) && isObject(value)
    Object.defineProperty(into, key, {
      value: both ? merge(old, value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return into
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Python fedmsg's merged `config` dict of a fedmsg.d directory: its `*.py` files in name order, each one's
 * `config` deep-merged over the previous ones (Python fedmsg's own order is os.listdir's, unspecified; name
 * order is what a site can rely on). Throws ConfigNotFound for a directory without `*.py` files,
 * ConfigInvalid for a file that cannot be read.
 */
export function readLegacyConfig(
  dir: string,
  options: ReadLegacyConfigOptions = {},
): Record<string, unknown> {
  let files: string[]
  try {
    files = readdirSync(dir)
      .filter((name) => name.endsWith('.py'))
      .sort()
      .map((name) => join(dir, name))
  } catch (error) {
    throw new ConfigNotFound(`cannot read ${dir}: give the fedmsg.d directory of Python fedmsg`, {
      cause: error,
    })
  }
  if (files.length === 0)
    throw new ConfigNotFound(`${dir} has no *.py files: give a fedmsg.d directory`)
  if (options.python !== undefined) return runPython(options.python, files)
  const config: Record<string, unknown> = {}
  for (const file of files) merge(config, readPythonConfigLiteral(readFileSync(file, 'utf8'), file))
  return config
}

function runPython(python: string, files: readonly string[]): Record<string, unknown> {
  let stdout: string
  try {
    stdout = execFileSync(python, ['-c', PYTHON_READER, ...files], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '')
      .trim()
      .split('\n')
      .at(-1)
    throw new ConfigInvalid(
      `${python} could not read the fedmsg.d files (${stderr ?? 'no output'}): fix that file, or drop --python to read literals only`,
      {},
      { cause: error },
    )
  }
  return JSON.parse(stdout) as Record<string, unknown>
}
