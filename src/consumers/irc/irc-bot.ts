import type { Logger } from 'pino'
import type { VerifiedMessage } from '../../crypto/envelope/verified-message.js'
import { topicMatches } from '../../crypto/policy/topic-pattern.js'
import type { Summarize } from '../../meta/message-summary.js'
import { FloodGate } from './flood-gate.js'
import { IrcConnection } from './irc-connection.js'
import { formatIrcLine } from './irc-line.js'
import { resolveIrcOptions, type IrcOptions, type ResolvedIrcOptions } from './irc-options.js'

export interface IrcBotStats {
  readonly connected: boolean
  readonly nick: string
  readonly reconnects: number
  readonly nickCollisions: number
  /** Lines sent to the server. */
  readonly sent: number
  /** Lines dropped: the queue was full (flood, or the server away too long) or the bot stopped. */
  readonly dropped: number
  readonly queueDepth: number
}

/**
 * The IRC sink of `fedmsg irc`: each verified message becomes one summary line in every channel whose topic
 * patterns match it (a channel on `>` is a firehose), through one flood gate per connection. `offer` never
 * blocks the hub: lines wait in the gate's bounded queue, and a disconnected server only fills that queue.
 */
export class IrcBot {
  readonly #options: ResolvedIrcOptions
  readonly #summarize: Summarize
  readonly #connection: IrcConnection
  readonly #gate: FloodGate

  constructor(options: IrcOptions, summarize: Summarize, log: Logger) {
    this.#options = resolveIrcOptions(options)
    this.#summarize = summarize
    this.#connection = new IrcConnection(this.#options, log, () => this.#gate.pump())
    this.#gate = new FloodGate({
      linesPerSecond: this.#options.linesPerSecond,
      burst: this.#options.burst,
      queueSize: this.#options.queueSize,
      send: (line) => this.#connection.send(line),
    })
  }

  /** Every topic pattern of every channel: what the hub consumer subscribes to. */
  get topics(): string[] {
    return [...new Set(this.#options.channels.flatMap((c) => c.topics))]
  }

  start(): void {
    this.#connection.connect()
  }

  offer(message: VerifiedMessage): void {
    const targets = this.#options.channels.filter((c) =>
      c.topics.some((pattern) => topicMatches(pattern, message.topic)),
    )
    if (targets.length === 0) return
    const text = formatIrcLine(this.#summarize(message), {
      colour: this.#options.colour,
      maxBytes: this.#options.maxLineBytes,
    })
    for (const channel of targets) this.#gate.offer({ target: channel.name, text })
  }

  /** Stops sending (what is queued is dropped and counted) and quits the server. */
  async close(): Promise<void> {
    this.#gate.close()
    await this.#connection.close()
  }

  stats(): IrcBotStats {
    return { ...this.#connection.stats(), ...this.#gate.stats() }
  }
}
