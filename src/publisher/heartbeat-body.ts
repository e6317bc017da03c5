/**
 * The body of a publisher's heartbeat (`<prefix>.<env>.<name>.heartbeat`, a topic no `publish()` can use):
 * `last_i`, the `i` of the message before it, and on the last heartbeat of a publisher that closes cleanly,
 * `goodbye: true`. Being a signed, verified message of the signer's own session, a goodbye can only end
 * the tracking of the publisher that signed it.
 */
export type HeartbeatBody = {
  readonly last_i: number
  readonly goodbye?: true
}

/** The heartbeat after message `lastI`; the goodbye when `goodbye` is set. */
export function heartbeatBody(lastI: number, goodbye: boolean): HeartbeatBody {
  return goodbye ? { last_i: lastI, goodbye: true } : { last_i: lastI }
}

/** True for the body of a goodbye heartbeat. */
export function isGoodbye(body: Readonly<Record<string, unknown>>): boolean {
  return body['goodbye'] === true
}
