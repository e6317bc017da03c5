import type { MessageFilter } from '../message-filter.js'
import { BadParameter } from './raw-params.js'

/** Most envelopes one `/replay` answer carries. */
export const MAX_REPLAY_ROWS = 1000

/**
 * Reads the parameters of `/replay`, the gap-fill endpoint hubs call (docs/protocol.md, "Gap fill"):
 * `signer` (a certificate CN), `from_i` and `to_i` (an inclusive range of the signer's sequence number; both or
 * neither), `start` (epoch seconds: nothing stamped earlier) and `limit` (1–1000, default 1000). Oldest first.
 * Throws BadParameter naming the first bad one.
 *
 * @example
 * ```ts
 * parseReplayQuery(new URLSearchParams('signer=bodhi&from_i=4&to_i=6&start=1765000000'))
 * ```
 */
export function parseReplayQuery(params: URLSearchParams): MessageFilter {
  const integer = (name: string, min: number, max: number): number | undefined => {
    const text = params.get(name)
    if (text === null) return undefined
    const n = Number(text)
    if (!/^\d{1,16}$/.test(text) || n < min || n > max)
      throw new BadParameter(name, `${name} must be an integer from ${min} to ${max}`)
    return n
  }
  const signer = params.get('signer')
  if (signer !== null && (signer === '' || signer.length > 255))
    throw new BadParameter('signer', 'signer must be a certificate CN of 1 to 255 characters')
  const minI = integer('from_i', 1, Number.MAX_SAFE_INTEGER)
  const maxI = integer('to_i', 1, Number.MAX_SAFE_INTEGER)
  if ((minI === undefined) !== (maxI === undefined) || (minI ?? 0) > (maxI ?? 0))
    throw new BadParameter('to_i', 'from_i and to_i go together, from_i <= to_i')
  const startText = params.get('start')
  const start = startText === null ? undefined : Number(startText)
  if (start !== undefined && (startText!.trim() === '' || !Number.isFinite(start) || start < 0))
    throw new BadParameter('start', 'start must be a number of seconds')
  return {
    order: 'asc',
    limit: integer('limit', 1, MAX_REPLAY_ROWS) ?? MAX_REPLAY_ROWS,
    ...(signer === null ? {} : { signers: [signer] }),
    ...(minI === undefined ? {} : { minI, maxI }),
    ...(start === undefined ? {} : { since: Math.floor(start * 1000) }),
  }
}
