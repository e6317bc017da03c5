import { MAX_NESTING_DEPTH } from './canonical-scan.js'

/**
 * The RFC 8785 (JCS) text of a plain JSON value, written in one pass; undefined when `value` is anything else,
 * for the caller to hand to json-canonicalize, whose behaviour on such values (Dates, class instances, holes,
 * `undefined` members, cycles) is then kept as it was.
 *
 * Why hand-written: json-canonicalize builds a path string per member for its error messages and costs as much
 * as the signature itself on a 1 KB body (bench/README.md). What it writes for a plain value is simple:
 * - a string as JSON.stringify writes it (RFC 8785 §3.2.2.2), a finite number as JSON.stringify writes it,
 *   which is Number::toString (§3.2.2.3), true, false, null;
 * - an array's elements in order; an object's members sorted by name in UTF-16 code unit order (§3.2.3), the
 *   default order of Array.prototype.sort on strings; no whitespace (§3.2.1).
 * test/fuzz/canonical-serializer.test.ts checks it writes exactly what json-canonicalize writes.
 *
 * Plain means: strings, finite numbers, booleans, null, and arrays and objects straight from Array.prototype
 * and Object.prototype (or null), without holes, `undefined`, functions or anything named `toJSON` (which
 * JSON.stringify would call or fedmsg refuses), nested no deeper than the protocol allows (so a cycle, too,
 * goes to json-canonicalize, which reports it).
 *
 * @example
 * ```ts
 * serializePlainJson({ b: [1, 'x'], a: null }) // '{"a":null,"b":[1,"x"]}'
 * serializePlainJson({ when: new Date() }) // undefined
 * ```
 */
export function serializePlainJson(value: unknown): string | undefined {
  return write(value, 1)
}

function write(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      if (value === null) return 'null'
      if (depth > MAX_NESTING_DEPTH || 'toJSON' in value) return undefined
      return Array.isArray(value) ? writeArray(value, depth) : writeObject(value, depth)
    default:
      return undefined // undefined, a function, a symbol, a bigint
  }
}

function writeArray(array: unknown[], depth: number): string | undefined {
  if (Object.getPrototypeOf(array) !== Array.prototype) return undefined
  let text = '['
  for (let index = 0; index < array.length; index++) {
    // A hole reads as undefined, which is not plain.
    const element = write(array[index], depth + 1)
    if (element === undefined) return undefined
    text += index === 0 ? element : `,${element}`
  }
  return `${text}]`
}

function writeObject(object: object, depth: number): string | undefined {
  const prototype: unknown = Object.getPrototypeOf(object)
  if (prototype !== Object.prototype && prototype !== null) return undefined
  const names = Object.keys(object).sort()
  let text = '{'
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!
    const member = write((object as Record<string, unknown>)[name], depth + 1)
    if (member === undefined) return undefined
    text += `${index === 0 ? '' : ','}${JSON.stringify(name)}:${member}`
  }
  return `${text}}`
}
