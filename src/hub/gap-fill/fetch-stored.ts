import type { GapFillOptions } from './gap-fill-options.js'

/**
 * Most bytes of one `/replay` answer, whatever max_messages × max_message_bytes would allow (over 2 GiB with the
 * defaults): what a compromised store can make the hub hold. An honest answer of max_messages envelopes of a
 * few KB each is far below it; a site whose messages are large lowers max_messages.
 */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024

/** A publisher's missing sequence range, as the hub's sequence tracker found it. */
export interface GapRequest {
  readonly signer: string
  /** The publisher instance's `session` header; undefined for publishers that send none. */
  readonly session: string | undefined
  readonly fromI: number
  readonly toI: number
}

/** What one request asks the store for: a gap, or everything recent (catch-up at start). */
export type FillScope = GapRequest | { readonly type: 'catch-up' }

/** One stored message as the store's `/replay` returns it: the frames to verify, unchanged. */
export interface StoredFrames {
  readonly topic: string
  readonly envelope: string
}

/**
 * Asks the store's `/replay` for `scope`, stamped after `now - maxAgeMs`. Throws on any failure (unreachable,
 * timeout, a redirect, not 200, a body past its bound or not of the expected shape): the caller counts and logs it. What it
 * returns is untrusted: every envelope goes through the hub's verifier.
 *
 * @example
 * ```ts
 * const rows = await fetchStored(options, { signer: 'bodhi', session: 's1', fromI: 4, toI: 6 }, Date.now())
 * ```
 */
export async function fetchStored(
  options: GapFillOptions,
  scope: FillScope,
  now: number,
  maxEnvelopeBytes: number,
): Promise<StoredFrames[]> {
  const url = new URL(`${options.url}/replay`)
  url.searchParams.set('start', String(Math.max(0, now - options.maxAgeMs) / 1000))
  url.searchParams.set('limit', String(options.maxMessages))
  if ('signer' in scope) {
    url.searchParams.set('signer', scope.signer)
    url.searchParams.set('from_i', String(scope.fromI))
    url.searchParams.set('to_i', String(Math.min(scope.toI, scope.fromI + options.maxMessages - 1)))
  }
  // A redirect would send the hub wherever the store says (another host, an internal address): refused.
  const response = await fetch(url, {
    signal: AbortSignal.timeout(options.timeoutMs),
    redirect: 'error',
  })
  if (response.status !== 200) {
    await response.body?.cancel()
    throw new Error(`the store answered ${response.status}`)
  }
  // Each envelope is at most max_message_bytes; the JSON around and escapes inside get twice that.
  const bound = 2 * options.maxMessages * (maxEnvelopeBytes + 1024)
  const text = await readCapped(response, Math.min(bound, MAX_ANSWER_BYTES))
  const body = JSON.parse(text) as { messages?: unknown }
  if (!Array.isArray(body.messages) || body.messages.length > options.maxMessages)
    throw new Error('the store answered without a messages array of at most max_messages')
  return body.messages.filter(
    (m): m is StoredFrames =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as StoredFrames).topic === 'string' &&
      typeof (m as StoredFrames).envelope === 'string',
  )
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of response.body ?? []) {
    total += chunk.byteLength
    if (total > maxBytes) throw new Error(`the store's answer passed ${maxBytes} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
