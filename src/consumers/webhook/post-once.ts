/** How one POST ended: delivered, worth another try, or refused for good. */
export type PostOutcome =
  | { readonly type: 'delivered'; readonly status: number }
  | { readonly type: 'retry'; readonly why: string }
  | { readonly type: 'refused'; readonly status: number }

/**
 * POSTs `body` as JSON and reads the whole response within `timeoutMs`. 2xx is delivered; 408, 429 and 5xx,
 * a timeout, a refused connection or a response cut off mid-way are worth retrying; any other status is the
 * receiver saying no (retrying would only repeat it).
 */
export async function postOnce(url: string, body: string, timeoutMs: number): Promise<PostOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'fedmsg-webhook' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    // The whole response, so a server that disconnects mid-response counts as a failure, not a delivery.
    await response.arrayBuffer()
    const { status } = response
    if (status >= 200 && status < 300) return { type: 'delivered', status }
    if (status === 408 || status === 429 || status >= 500)
      return { type: 'retry', why: `HTTP ${status}` }
    return { type: 'refused', status }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code
    const name = error instanceof Error ? error.name : 'Error'
    return { type: 'retry', why: name === 'TimeoutError' ? 'timeout' : (cause ?? name) }
  }
}
