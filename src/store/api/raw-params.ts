import type { MessageFilter } from '../message-filter.js'

/** A parameter datagrepper's `/raw` would not accept: answered 400 with its name. */
export class BadParameter extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message)
  }
}

/** Most rows per page, as datagrepper. */
export const MAX_ROWS_PER_PAGE = 100
/** Deepest `page` served without a cursor: beyond it, follow `next_cursor` (keyset, no offset scan). */
export const MAX_PAGE = 50

const TOKEN = /^[A-Za-z0-9_-]+$/
const TOPIC = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/
/** A user or package name: what summaries keep (src/meta: cleaned, at most 64 code points). */
const NAME = /^[^\s]{1,64}$/u

/** A `/raw` request: the filter of its first page, and which page. */
export interface RawQuery {
  readonly filter: MessageFilter
  readonly page: number
}

/**
 * Reads datagrepper's `/raw` parameters: start, end, delta (epoch seconds), topic, category, user, package,
 * contains and their `not_` variants (repeatable), rows_per_page (1–100), page, order (asc|desc), and `cursor` (from a
 * previous `next_cursor`). Throws BadParameter naming the first bad one.
 *
 * @example
 * ```ts
 * parseRawQuery(new URLSearchParams('topic=org.fedoraproject.prod.bodhi.update&rows_per_page=10'), 'org.fedoraproject', Date.now())
 * ```
 */
export function parseRawQuery(params: URLSearchParams, prefix: string, now: number): RawQuery {
  const seconds = (name: string): number | undefined => {
    const text = params.get(name)
    if (text === null) return undefined
    const n = Number(text)
    if (text.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new BadParameter(name, `${name} must be a number of seconds`)
    return n * 1000
  }
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const text = params.get(name)
    if (text === null) return fallback
    const n = Number(text)
    if (!/^\d+$/.test(text) || n < min || n > max)
      throw new BadParameter(name, `${name} must be an integer from ${min} to ${max}`)
    return n
  }
  const all = (name: string, shape: RegExp): string[] => {
    const values = params.getAll(name)
    for (const value of values) {
      if (!shape.test(value)) throw new BadParameter(name, `${name} has an invalid value`)
    }
    return values
  }
  const categories = (name: string) =>
    all(name, TOKEN).flatMap((c) => [`${prefix}.*.${c}`, `${prefix}.*.${c}.>`])
  const order = params.get('order') ?? 'desc'
  if (order !== 'asc' && order !== 'desc')
    throw new BadParameter('order', 'order must be asc or desc')
  let end = seconds('end')
  let start = seconds('start')
  const delta = seconds('delta')
  if (delta !== undefined && start === undefined) start = (end ?? now) - delta
  if (delta !== undefined && end === undefined && start !== undefined && params.has('start'))
    end = start + delta
  const rows = integer('rows_per_page', 1, MAX_ROWS_PER_PAGE, 25)
  const after = cursorOf(params.get('cursor'))
  const topics = [...all('topic', TOPIC), ...categories('category')]
  const filter: MessageFilter = {
    topics,
    notTopics: [...all('not_topic', TOPIC), ...categories('not_category')],
    contains: params.getAll('contains'),
    notContains: params.getAll('not_contains'),
    users: all('user', NAME),
    notUsers: all('not_user', NAME),
    packages: all('package', NAME),
    notPackages: all('not_package', NAME),
    order,
    limit: rows,
    ...(start === undefined ? {} : { since: Math.floor(start) }),
    ...(end === undefined ? {} : { until: Math.ceil(end) }),
    ...(after === undefined ? {} : { after }),
  }
  const page = integer('page', 1, after === undefined ? MAX_PAGE : 1, 1)
  return { filter, page }
}

function cursorOf(text: string | null): { timestamp: number; id: number } | undefined {
  if (text === null) return undefined
  const match = /^(\d+)-(\d+)$/.exec(text)
  if (match === null) throw new BadParameter('cursor', 'cursor must be a next_cursor value')
  return { timestamp: Number(match[1]), id: Number(match[2]) }
}
