import type { Alg } from './envelope/verified-message.js'

/**
 * Every algorithm of fedmsg/1, in the order of the table in algorithms.ts. Kept apart from that table (which
 * needs node:crypto) so that the browser verifier shares the same list.
 */
export const ALL_ALGS: readonly Alg[] = Object.freeze(['ES256', 'EdDSA', 'PS256', 'RS256'])

const KNOWN_ALGS: ReadonlySet<string> = new Set(ALL_ALGS)

/**
 * True when `value` names an algorithm of the table.
 *
 * @example
 * ```ts
 * isAlg('ES256') // true
 * isAlg('none') // false
 * ```
 */
export function isAlg(value: unknown): value is Alg {
  return typeof value === 'string' && KNOWN_ALGS.has(value)
}
