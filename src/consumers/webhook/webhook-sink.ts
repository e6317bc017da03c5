import type { Logger } from 'pino'
import type { VerifiedMessage } from '../../crypto/envelope/verified-message.js'
import { topicMatches } from '../../crypto/policy/topic-pattern.js'
import type { Summarize } from '../../meta/message-summary.js'
import { resolveWebhookTarget, type WebhookTargetOptions } from './webhook-options.js'
import { WebhookTarget, type WebhookTargetStats } from './webhook-target.js'

/**
 * The webhook sink of `fedmsg webhook`: each verified message goes to every target whose topics match, as
 * `{"envelope": "<the signed envelope, exactly as received>", "summary": {...}}`. The envelope is a string so
 * that the receiver gets the signed bytes unchanged and can verify them itself (`fedmsg verify`, or the
 * library's verifier); the summary is for humans and is not signed.
 */
export class WebhookSink {
  readonly #targets: { readonly topics: readonly string[]; readonly target: WebhookTarget }[]
  readonly #summarize: Summarize

  constructor(targets: readonly WebhookTargetOptions[], summarize: Summarize, log: Logger) {
    if (targets.length === 0) throw new TypeError('webhook: at least one target is required')
    this.#summarize = summarize
    this.#targets = targets.map((options) => {
      const resolved = resolveWebhookTarget(options)
      return { topics: resolved.topics, target: new WebhookTarget(resolved, log) }
    })
  }

  /** Every topic pattern of every target: what the hub consumer subscribes to. */
  get topics(): string[] {
    return [...new Set(this.#targets.flatMap((t) => t.topics))]
  }

  offer(message: VerifiedMessage): void {
    const matching = this.#targets.filter((t) =>
      t.topics.some((pattern) => topicMatches(pattern, message.topic)),
    )
    if (matching.length === 0) return
    const body = JSON.stringify({ envelope: message.envelope, summary: this.#summarize(message) })
    for (const { target } of matching) target.offer(body)
  }

  /** Lets queued messages go out until `signal` aborts, then stops every target. */
  async drain(signal?: AbortSignal): Promise<void> {
    await Promise.all(this.#targets.map(({ target }) => target.drain(signal)))
  }

  stats(): WebhookTargetStats[] {
    return this.#targets.map(({ target }) => target.stats())
  }
}
