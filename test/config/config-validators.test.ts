import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONFIG_KEYS } from '../../src/config/config-schema.js'
import { DEFAULT_CONFIG } from '../../src/config/config-types.js'
import { devDefaults } from '../../src/config/dev-defaults.js'
import {
  compileConfigValidators,
  configSchemaDigest,
  loadPrecompiledValidators,
  type ConfigValidators,
} from '../../src/config/config-validators.js'
import { configValidatorsSource } from '../../src/config/config-validators-source.js'

/** Evaluates generated CommonJS source as `require` would, resolving its ajv runtime imports from here. */
function evaluate(source: string): ConfigValidators & { schemaDigest: string } {
  const module = { exports: {} as ConfigValidators & { schemaDigest: string } }
  new Function('module', 'exports', 'require', source)(
    module,
    module.exports,
    createRequire(import.meta.url),
  )
  return module.exports
}

let precompiled: ConfigValidators & { schemaDigest: string }
let compiled: ConfigValidators
let dir: string
beforeAll(() => {
  precompiled = evaluate(configValidatorsSource())
  compiled = compileConfigValidators()
  dir = mkdtempSync(join(tmpdir(), 'fedmsg-validators-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Validates with both and returns both verdicts with their errors, for toEqual. */
function both(kind: keyof ConfigValidators, value: unknown) {
  const verdict = (validators: ConfigValidators) => {
    const ok = validators[kind](value)
    return { ok, errors: validators[kind].errors ?? null }
  }
  return { precompiled: verdict(precompiled), compiled: verdict(compiled) }
}

const CASES: { name: string; value: unknown }[] = [
  { name: 'DEFAULT_CONFIG', value: DEFAULT_CONFIG },
  { name: 'devDefaults()', value: devDefaults('/x/certs/dev') },
  { name: 'an empty file', value: {} },
  { name: 'not an object', value: ['max_age_seconds', 300] },
  { name: 'a string for an integer', value: { max_age_seconds: '300' } },
  { name: 'a fraction for an integer', value: { linger_ms: 1.5 } },
  { name: 'an unknown key', value: { max_age: 300 } },
  { name: 'an unknown key in certs', value: { certs: { b: { cert: 'a', key: 'b', x: 1 } } } },
  { name: 'a consumer without module', value: { consumers: [{ topic: 'a.>' }] } },
  { name: 'a bad enum', value: { environment: 'production' } },
  { name: 'a bad address', value: { endpoints: { bodhi: ['udp://127.0.0.1:1'] } } },
  { name: 'an empty address list', value: { endpoints: { bodhi: [] } } },
  { name: 'a bad map key', value: { endpoints: { 'bad name': ['tcp://127.0.0.1:1'] } } },
  { name: 'a bad topic pattern key', value: { schemas: { 'org.>.x': 'x.json' } } },
  { name: 'a long topic_prefix', value: { topic_prefix: 'a'.repeat(256) } },
  { name: 'a consumer topic of the wrong type', value: { consumers: [{ module: 'c', topic: 5 }] } },
  { name: 'a short CURVE key', value: { curve: { server: { public_key: 'x', secret_key: 'y' } } } },
]

describe('the precompiled validators (npm run build) and Ajv compiling the schema agree', () => {
  it.each(CASES)(
    '$name: same verdict, same errors, for one file and for the merge',
    ({ value }) => {
      for (const kind of ['file', 'merged'] as const) {
        const { precompiled, compiled } = both(kind, value)
        expect(precompiled).toEqual(compiled)
      }
    },
  )

  it('on random values of every key', () => {
    const key = fc.constantFrom(...CONFIG_KEYS, 'unknown_key')
    const config = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })
    fc.assert(
      fc.property(config, fc.constantFrom('file' as const, 'merged' as const), (value, kind) => {
        const { precompiled, compiled } = both(kind, value)
        expect(precompiled).toEqual(compiled)
      }),
      { numRuns: 300 },
    )
  })
})

describe('loadPrecompiledValidators', () => {
  const write = (name: string, digest: string) => {
    const file = join(dir, name)
    writeFileSync(
      file,
      `exports.file = () => true; exports.merged = () => true; exports.schemaDigest = ${JSON.stringify(digest)}`,
    )
    return file
  }

  it('uses a module generated from the current schemas', () => {
    expect(precompiled.schemaDigest).toBe(configSchemaDigest())
    expect(loadPrecompiledValidators(write('current.cjs', configSchemaDigest()))).toBeDefined()
  })

  it('ignores a stale module, generated from other schemas (a build by tsc alone after a schema change)', () => {
    expect(loadPrecompiledValidators(write('stale.cjs', '0'.repeat(64)))).toBeUndefined()
  })

  it('ignores a missing module (the sources run by vitest)', () => {
    expect(loadPrecompiledValidators(join(dir, 'missing.cjs'))).toBeUndefined()
  })
})
