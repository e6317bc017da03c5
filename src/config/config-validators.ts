import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js'
import { CONFIG_FILE_SCHEMA, CONFIG_SCHEMA } from './config-schema.js'

/** Which schema to check against: one file (keys optional) or the merged result (required keys present). */
export type ConfigSchemaKind = 'file' | 'merged'

/** One validator per schema kind. */
export type ConfigValidators = Readonly<Record<ConfigSchemaKind, ValidateFunction>>

/**
 * Ajv options of both the precompiled and the runtime-compiled validators, so that both report alike. `verbose`:
 * errors carry the failing value (`data`) and the schema node (`parentSchema`) that messages quote.
 */
export const CONFIG_AJV_OPTIONS = { allowUnionTypes: true, verbose: true, strict: true } as const

/**
 * The module `npm run build` writes next to this one (scripts/precompile-config-validators.js): Ajv standalone
 * code for both schemas, exporting `file`, `merged` and the {@link configSchemaDigest} it was made from.
 */
export const PRECOMPILED_VALIDATORS_FILE = 'config-validators.precompiled.cjs'

/**
 * Identifies the schemas and options a precompiled module must have been generated from.
 *
 * @example
 * ```ts
 * const current = require(file).schemaDigest === configSchemaDigest()
 * ```
 */
export function configSchemaDigest(): string {
  const input = JSON.stringify([CONFIG_AJV_OPTIONS, CONFIG_FILE_SCHEMA, CONFIG_SCHEMA])
  return createHash('sha256').update(input).digest('hex')
}

// Both loads must be synchronous (loadConfig is), and ajv is CommonJS.
const require = createRequire(import.meta.url)
const PRECOMPILED = fileURLToPath(new URL(PRECOMPILED_VALIDATORS_FILE, import.meta.url))
let validators: ConfigValidators | undefined

/**
 * The validator of a schema kind. Compiling the schemas with Ajv is a start-up cost every `fedmsg logger` run
 * would pay (bench/README.md, "Start-up costs the code avoids"), so the precompiled module is used when it was
 * generated from the current schemas; otherwise (a build by `tsc` alone, tests running the sources) they are
 * compiled on first use.
 *
 * @example
 * ```ts
 * const validate = configValidator('file')
 * if (!validate({ max_age_seconds: '300' })) console.log(validate.errors)
 * ```
 */
export function configValidator(kind: ConfigSchemaKind): ValidateFunction {
  validators ??= loadPrecompiledValidators(PRECOMPILED) ?? compileConfigValidators()
  return validators[kind]
}

/**
 * The validators of a precompiled module; undefined when it is missing or stale (made from other schemas,
 * e.g. by `npm run build` before a schema change that only `tsc` compiled).
 *
 * @example
 * ```ts
 * const validators = loadPrecompiledValidators('/opt/fedmsg/dist/config/config-validators.precompiled.cjs')
 * ```
 */
export function loadPrecompiledValidators(file: string): ConfigValidators | undefined {
  if (!existsSync(file)) return undefined
  const module = require(file) as ConfigValidators & { schemaDigest?: unknown }
  return module.schemaDigest === configSchemaDigest() ? module : undefined
}

/**
 * Compiles both schemas with Ajv at run time.
 *
 * @example
 * ```ts
 * const { file } = compileConfigValidators()
 * file({ max_age_seconds: 300 }) // true
 * ```
 */
export function compileConfigValidators(): ConfigValidators {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }
  const ajv = new Ajv(CONFIG_AJV_OPTIONS)
  return { file: ajv.compile(CONFIG_FILE_SCHEMA), merged: ajv.compile(CONFIG_SCHEMA) }
}
