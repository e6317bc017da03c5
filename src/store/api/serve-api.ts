import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { MessageDatabase } from '../message-database.js'
import { jsonLine } from '../run-query.js'
import type { StoredRow } from '../stored-message.js'
import { BadParameter, parseRawQuery } from './raw-params.js'
import { parseReplayQuery } from './replay-params.js'

/** A running datagrepper-compatible API. */
export interface ApiServer {
  readonly url: string
  close(): Promise<void>
}

const rawMessage = (row: StoredRow): unknown => JSON.parse(jsonLine(row))

/**
 * Serves `/raw` and `/v2/search` (datagrepper's shape: raw_messages, count, pages, total, arguments, plus
 * next_cursor for keyset paging) and `/id?id=MSG_ID`, each message with its stored envelope; and `/replay`, the
 * stored envelopes of a signer's sequence range, for hubs that fill gaps (replay-params.ts).
 *
 * @example
 * ```ts
 * const api = await startApiServer(db, { host: '127.0.0.1', port: 8080, prefix: 'org.fedoraproject' })
 * ```
 */
export async function startApiServer(
  db: MessageDatabase,
  options: { host: string; port: number; prefix: string },
): Promise<ApiServer> {
  const server = createServer((request, response) => {
    handle(db, options.prefix, request, response).catch((error: unknown) => {
      const status = error instanceof BadParameter ? 400 : 503
      const body =
        error instanceof BadParameter
          ? { error: error.message, parameter: error.parameter }
          : { error: 'the message store is unavailable' }
      send(response, status, body)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: options.host, port: options.port }, () => resolve())
  })
  const bound = server.address() as AddressInfo
  return {
    url: `http://${options.host}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function handle(
  db: MessageDatabase,
  prefix: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost')
  if (request.method !== 'GET') return send(response, 405, { error: 'only GET' })
  if (url.pathname === '/id') {
    const id = url.searchParams.get('id')
    if (id === null || id === '') throw new BadParameter('id', 'id is required')
    const row = await db.byMsgId(id)
    return row === undefined
      ? send(response, 404, { error: 'no message with this id', parameter: 'id' })
      : send(response, 200, rawMessage(row))
  }
  if (url.pathname === '/replay') {
    // The stored envelopes unchanged: the hub re-verifies each one; a store never re-signs.
    const rows = await db.query(parseReplayQuery(url.searchParams))
    const messages = rows.map((r) => ({ topic: r.topic, envelope: r.envelope }))
    return send(response, 200, { messages, count: messages.length })
  }
  if (url.pathname !== '/raw' && url.pathname !== '/v2/search')
    return send(response, 404, { error: 'not found' })
  const { filter, page } = parseRawQuery(url.searchParams, prefix, Date.now())
  // Page N without a cursor walks N-1 keyset steps (bounded by MAX_PAGE); never an OFFSET scan.
  let position = filter
  for (let step = 1; step < page; step += 1) {
    const last = (await db.query(position)).at(-1)
    if (last === undefined) break
    position = { ...position, after: { timestamp: last.timestamp, id: last.id } }
  }
  const rows = await db.query(position)
  const total = await db.count(filter)
  const last = rows.at(-1)
  send(response, 200, {
    raw_messages: rows.map(rawMessage),
    count: rows.length,
    pages: Math.ceil(total / filter.limit),
    total,
    arguments: { ...Object.fromEntries(url.searchParams), page, rows_per_page: filter.limit },
    next_cursor:
      last === undefined || rows.length < filter.limit ? null : `${last.timestamp}-${last.id}`,
  })
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}
