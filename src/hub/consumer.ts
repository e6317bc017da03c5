import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'

/** What the hub hands a consumer along with each message. */
export interface ConsumeContext {
  /** Aborted when the hub gives up on this call (its timeout passed, or the hub closed). */
  readonly signal: AbortSignal
  /**
   * Publishes a message derived from the one being consumed, signed with the hub's own service certificate
   * (config `derived.service`), its signed headers naming the source's `msg_id` (`derived_from`) and depth
   * (`derived_depth`). `topic` is a suffix under `<prefix>.<env>.<service>.` or a full topic. Rejects with
   * ConfigInvalid when the hub has no `derived` section, PolicyDenied when the routing policy does not let the
   * hub's certificate publish there, DerivationTooDeep past `derived.max_depth`, or as Publisher.publish.
   */
  publish(topic: string, body: Record<string, unknown>): Promise<void>
}

/**
 * Code the hub runs for verified messages. A consumer only ever sees messages that passed every check
 * (signature, chain, revocation, freshness, replay, routing policy, schema), on topics that match `topic`.
 *
 * Calls are sequential per consumer, in arrival order. A call that throws is counted and logged; a call that
 * runs past its timeout is counted, its `signal` is aborted, and the hub moves on to the next message without
 * waiting for it (so a hung call may still be running when the next one starts).
 *
 * @example
 * ```ts
 * const printer: Consumer = {
 *   name: 'printer',
 *   topic: 'org.fedoraproject.prod.bodhi.>',
 *   consume: (message) => console.log(message.signer.name, message.topic, message.body),
 * }
 * ```
 */
export interface Consumer {
  /** Topic patterns: `*` is one token, `>` one or more trailing tokens. Heartbeat topics only match a
   * pattern that ends in `.heartbeat`. */
  readonly topic: string | readonly string[]
  /** Name in logs and stats; defaults to the module file name or `consumer-<n>`. */
  readonly name?: string
  /** Longest one call may run before it counts as timed out; default 5000 ms (config: `timeout_ms`). */
  readonly timeoutMs?: number
  /** Most messages waiting for this consumer; default 1000 (config: `queue_size`). */
  readonly queueSize?: number
  consume(message: VerifiedMessage, context: ConsumeContext): void | Promise<void>
}
