import { UsageError } from '../errors.js'

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * A duration such as `90d`, `12h`, `30m` or `45s`, in ms; throws UsageError naming `flag` otherwise.
 *
 * @example
 * ```ts
 * parseDuration('90d', '--retain') // 7776000000
 * ```
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+)([smhd])$/.exec(text)
  if (match === null) throw new UsageError(`${flag} must be a number and s, m, h or d (e.g. 90d)`)
  return Number(match[1]) * UNITS[match[2]!]!
}

/**
 * A point in time: an ISO 8601 date or seconds since the epoch (datagrepper's `start`/`end`), in ms;
 * throws UsageError naming `flag` otherwise.
 *
 * @example
 * ```ts
 * parseTime('2026-12-01T00:00:00Z', '--since') // 1796083200000
 * ```
 */
export function parseTime(text: string, flag: string): number {
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text)
  if (!Number.isFinite(ms))
    throw new UsageError(`${flag} must be an ISO 8601 date or epoch seconds`)
  return Math.floor(ms)
}
