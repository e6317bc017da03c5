/**
 * Reading message bodies without trusting their shape: every path step checks that the value is a plain
 * object (own properties only, so `__proto__` or `constructor` in a path reads nothing) or an array.
 */

type Key = string | number

/**
 * The value at `path` in `body`, or undefined when any step is missing or of another type.
 *
 * @example
 * ```ts
 * bodyValue({ builds: [{ nvr: 'kernel-6.8.9-300.fc40' }] }, 'builds', 0, 'nvr') // 'kernel-6.8.9-300.fc40'
 * ```
 */
export function bodyValue(body: unknown, ...path: readonly Key[]): unknown {
  let value: unknown = body
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined
    if (Array.isArray(value) !== (typeof key === 'number')) return undefined
    if (!Object.hasOwn(value, key)) return undefined
    value = (value as Record<Key, unknown>)[key]
  }
  return value
}

/**
 * The text at `path`: a string as is, a finite number in decimal, a non-empty string only; otherwise
 * undefined.
 *
 * @example
 * ```ts
 * bodyText({ update: { alias: 'FEDORA-2024-1' } }, 'update', 'alias') // 'FEDORA-2024-1'
 * ```
 */
export function bodyText(body: unknown, ...path: readonly Key[]): string | undefined {
  const value = bodyValue(body, ...path)
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * The array at `path`, or an empty one.
 *
 * @example
 * ```ts
 * bodyList({ chairs: ['mattdm'] }, 'chairs') // ['mattdm']
 * ```
 */
export function bodyList(body: unknown, ...path: readonly Key[]): readonly unknown[] {
  const value = bodyValue(body, ...path)
  return Array.isArray(value) ? value : []
}

/**
 * The own keys of the object at `path` (meeting attendees are an object of nick → count).
 *
 * @example
 * ```ts
 * bodyKeys({ attendees: { kevin: 3 } }, 'attendees') // ['kevin']
 * ```
 */
export function bodyKeys(body: unknown, ...path: readonly Key[]): readonly string[] {
  const value = bodyValue(body, ...path)
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.keys(value)
    : []
}

/**
 * The package name of an NVR: everything before the last two dashes.
 *
 * @example
 * ```ts
 * nameOfNvr('python-requests-2.31.0-1.fc40') // 'python-requests'
 * ```
 */
export function nameOfNvr(nvr: string | undefined): string | undefined {
  if (nvr === undefined) return undefined
  const parts = nvr.split('-')
  return parts.length >= 3 ? parts.slice(0, -2).join('-') : undefined
}
