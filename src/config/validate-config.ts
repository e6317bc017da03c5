import type { ErrorObject } from 'ajv/dist/2020.js'
import { ConfigInvalid } from '../errors.js'
import { formatKeyPath, pointerSegments } from './config-key-path.js'
import { quoteConfigValue } from './config-value-preview.js'
import { configValidator, type ConfigSchemaKind } from './config-validators.js'
import { nearestName } from './nearest-name.js'

/** Where the value came from: `file` is the absolute path (none for options), `display` what messages print. */
export interface ConfigOrigin {
  readonly file: string | undefined
  readonly display: string
}

/**
 * Checks `value` against the configuration schema; throws a {@link ConfigInvalid} naming the file, the key and
 * what was expected: `fedmsg.d/10-bus.json: max_age_seconds: must be integer >= 1 (got "300")`.
 */
export function validateConfig(value: unknown, kind: ConfigSchemaKind, origin: ConfigOrigin): void {
  const validate = configValidator(kind)
  if (validate(value)) return
  const errors = validate.errors ?? []
  const { key, problem } = describeFirstError(value, errors)
  throw new ConfigInvalid(`${origin.display}: ${key || '(top level)'}: ${problem}`, {
    file: origin.file,
    key: key || undefined,
  })
}

interface SchemaNode {
  readonly type?: string | readonly string[]
  readonly enum?: readonly unknown[]
  readonly minimum?: number
  readonly minLength?: number
  readonly description?: string
  readonly pattern?: string
  readonly properties?: Readonly<Record<string, unknown>>
}

// ajv stops at the first failing keyword (allErrors is off); a propertyNames failure comes as the inner error
// followed by the propertyNames error that names the offending key.
function describeFirstError(root: unknown, errors: readonly ErrorObject[]) {
  const first = errors[0]!
  const segments = pointerSegments(root, first.instancePath)
  const schema = (first.parentSchema ?? {}) as SchemaNode
  const badName = errors.find((e) => e.keyword === 'propertyNames')
  if (badName !== undefined) {
    const name = String((badName.params as { propertyName: string }).propertyName)
    return {
      key: formatKeyPath([...segments, name]),
      problem: `invalid name: must be ${describeSchema(schema)}`,
    }
  }
  switch (first.keyword) {
    case 'additionalProperties': {
      const name = (first.params as { additionalProperty: string }).additionalProperty
      const allowed = Object.keys(schema.properties ?? {})
      const hint =
        allowed.length <= 8
          ? `expected one of ${allowed.join(', ')}`
          : 'see docs/configuration.md for the keys'
      const nearest = nearestName(name, allowed)
      const guess = nearest === undefined ? '' : `: did you mean "${nearest}"?`
      return { key: formatKeyPath([...segments, name]), problem: `unknown key${guess} (${hint})` }
    }
    case 'required': {
      const name = (first.params as { missingProperty: string }).missingProperty
      return { key: formatKeyPath([...segments, name]), problem: 'is required' }
    }
    case 'minItems': {
      const limit = (first.params as { limit: number }).limit
      return {
        key: formatKeyPath(segments),
        problem: `must have at least ${limit} item${limit === 1 ? '' : 's'} (got ${quoteConfigValue(first.data, segments)})`,
      }
    }
    default:
      return {
        key: formatKeyPath(segments),
        problem: `must be ${describeSchema(schema)} (got ${quoteConfigValue(first.data, segments)})`,
      }
  }
}

/** What a schema node accepts, in words: `integer >= 1`, `one of "wait", "throw"`, `a ZeroMQ address …`. */
function describeSchema(schema: SchemaNode): string {
  if (schema.enum !== undefined)
    return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`
  if (schema.description !== undefined) return schema.description
  const types = typeof schema.type === 'string' ? [schema.type] : [...(schema.type ?? [])]
  let text = types.map((t) => (t === 'object' ? 'a JSON object' : t)).join(' or ')
  if (schema.minimum !== undefined) text += ` >= ${schema.minimum}`
  if (schema.minLength === 1 && text === 'string') text = 'a non-empty string'
  if (schema.pattern !== undefined) text += ` matching ${schema.pattern}`
  return text
}
