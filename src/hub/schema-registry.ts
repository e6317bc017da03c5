import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { ValidateFunction } from 'ajv'
import { topicMatches } from '../crypto/policy/topic-pattern.js'
import { ConfigInvalid } from '../errors.js'

// Ajv is loaded only when a schema is configured: importing it is a start-up cost of every `fedmsg logger`
// run (bench/README.md, "Start-up costs the code avoids"), most of which configure none. Both modules are CommonJS, so require() loads them
// synchronously.
const require = createRequire(import.meta.url)
const loadAjv = () => ({
  Ajv: (require('ajv') as typeof import('ajv')).Ajv,
  Ajv2020: (require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020,
})

interface BoundSchema {
  readonly pattern: string
  readonly file: string
  readonly validate: ValidateFunction
}

/**
 * The JSON Schemas of `config.schemas`, each bound to a topic pattern. A body must satisfy every schema whose
 * pattern matches its topic; a topic no pattern matches is not checked. Publishers check before signing
 * (SchemaInvalid), hubs after verifying (`schema_invalid`).
 *
 * @example
 * ```ts
 * const schemas = SchemaRegistry.fromFiles({ 'org.fedoraproject.*.bodhi.update.>': '/etc/fedmsg/update.json' })
 * schemas.check('org.fedoraproject.prod.bodhi.update.request', { update: 'x' }) // undefined when valid
 * ```
 */
export class SchemaRegistry {
  readonly #schemas: readonly BoundSchema[]

  private constructor(schemas: readonly BoundSchema[]) {
    this.#schemas = schemas
  }

  /** Reads and compiles each schema file; draft 2020-12 when its `$schema` says so, else draft-07. */
  static fromFiles(schemas: Readonly<Record<string, string>>): SchemaRegistry {
    if (Object.keys(schemas).length === 0) return SchemaRegistry.empty()
    const { Ajv, Ajv2020 } = loadAjv()
    const draft07 = new Ajv({ allErrors: false })
    const draft2020 = new Ajv2020({ allErrors: false })
    const bound = Object.entries(schemas).map(([pattern, file]): BoundSchema => {
      const key = `schemas.${pattern}`
      let schema: Record<string, unknown>
      try {
        schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
      } catch (error) {
        throw new ConfigInvalid(
          `cannot read JSON Schema ${file}: fix the file or the schemas entry`,
          { key },
          { cause: error },
        )
      }
      const ajv = String(schema['$schema'] ?? '').includes('2020-12') ? draft2020 : draft07
      try {
        return { pattern, file, validate: ajv.compile(schema) }
      } catch (error) {
        throw new ConfigInvalid(
          `${file} is not a valid JSON Schema: fix it`,
          { key },
          { cause: error },
        )
      }
    })
    return new SchemaRegistry(bound)
  }

  /** A registry with no schemas: every body passes. */
  static empty(): SchemaRegistry {
    return new SchemaRegistry([])
  }

  /** Why `body` fails a schema bound to `topic`, or undefined when it satisfies all of them. */
  check(topic: string, body: unknown): string | undefined {
    for (const schema of this.#schemas) {
      if (!topicMatches(schema.pattern, topic)) continue
      if (!schema.validate(body)) {
        const [first] = schema.validate.errors ?? []
        const where = first?.instancePath === '' ? 'body' : `body${first?.instancePath ?? ''}`
        return `${where} ${first?.message ?? 'is invalid'} (schema ${schema.file})`
      }
    }
    return undefined
  }
}
