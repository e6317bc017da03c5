import type { Logger } from 'pino'
import type { VerifiedMessage } from '../../crypto/envelope/verified-message.js'
import { runCommand, type CommandOutcome } from './run-command.js'
import {
  resolveTriggerOptions,
  type ResolvedTriggerOptions,
  type TriggerOptions,
} from './trigger-options.js'

/** What a trigger command is told of a message (a VerifiedMessage fits). */
export type TriggerMessage = Pick<
  VerifiedMessage,
  'topic' | 'body' | 'signer' | 'msgId' | 'i' | 'timestamp' | 'headers'
>

/** Counters of a trigger. */
export interface TriggerStats {
  /** Messages not run because the queue was full, or discarded by stop(). */
  readonly dropped: number
  readonly started: number
  /** Finished runs by exit code (`"0"`, `"1"`, …) or by the signal that ended them (`"SIGSEGV"`). */
  readonly exits: Readonly<Record<string, number>>
  /** Runs killed at the timeout. */
  readonly timeouts: number
  /** Commands that could not be started (not found, not executable, a value spawn refuses). */
  readonly spawnErrors: number
  readonly running: number
  readonly queueDepth: number
}

/**
 * Runs the trigger's command once per message, at most `concurrency` at a time, from a queue of at most
 * `queueSize`: a flood of messages drops (and counts) the overflow, it never piles up processes or memory.
 *
 * @example
 * ```ts
 * const runner = new TriggerRunner({ argv: ['/usr/local/bin/on-update'] }, logger)
 * const hub = await createHub({ consumers: [{ topic: 'org.fedoraproject.*.bodhi.>', consume: (m) => void runner.offer(m) }] })
 * ```
 */
export class TriggerRunner {
  readonly #options: ResolvedTriggerOptions
  readonly #logger: Logger
  readonly #queue: TriggerMessage[] = []
  readonly #exits: Record<string, number> = {}
  readonly #counts = { dropped: 0, started: 0, timeouts: 0, spawnErrors: 0 }
  readonly #running = new Set<Promise<void>>()
  #stopped = false

  constructor(options: TriggerOptions, logger: Logger) {
    this.#options = resolveTriggerOptions(options)
    this.#logger = logger
  }

  /** Queues a run for `message`; false when it was dropped (queue full, or stopped). */
  offer(message: TriggerMessage): boolean {
    const full = this.#queue.length >= this.#options.queueSize
    if (this.#stopped || (full && this.#running.size >= this.#options.concurrency)) {
      this.#counts.dropped += 1
      this.#logger.warn(
        { topic: message.topic, msg_id: message.msgId, queueSize: this.#options.queueSize },
        'trigger queue full: message dropped',
      )
      return false
    }
    this.#queue.push(message)
    this.#pump()
    return true
  }

  stats(): TriggerStats {
    return {
      ...this.#counts,
      exits: { ...this.#exits },
      running: this.#running.size,
      queueDepth: this.#queue.length,
    }
  }

  /** Resolves once the queue is empty and no command runs. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.race(this.#running)
  }

  /** Discards queued messages (counted as dropped) and waits for the running commands (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#counts.dropped += this.#queue.length
    this.#queue.length = 0
    await this.drain()
  }

  #pump(): void {
    while (this.#running.size < this.#options.concurrency && this.#queue.length > 0) {
      const message = this.#queue.shift()!
      const run = this.#run(message).finally(() => {
        this.#running.delete(run)
        this.#pump()
      })
      this.#running.add(run)
    }
  }

  async #run(message: TriggerMessage): Promise<void> {
    this.#counts.started += 1
    const { argv, timeoutMs, killGraceMs } = this.#options
    const outcome = await runCommand({
      argv,
      stdin: `${JSON.stringify(toJson(message))}\n`,
      env: {
        ...this.#options.env,
        FEDMSG_TOPIC: message.topic,
        FEDMSG_SIGNER: message.signer.name,
        FEDMSG_MSG_ID: message.msgId,
      },
      timeoutMs,
      killGraceMs,
    })
    this.#record(outcome, message)
  }

  #record(outcome: CommandOutcome, message: TriggerMessage): void {
    const where = { topic: message.topic, msg_id: message.msgId }
    if (outcome.type === 'timeout') {
      this.#counts.timeouts += 1
      this.#logger.warn(
        { ...where, timeoutMs: this.#options.timeoutMs },
        'trigger command timed out: killed',
      )
    } else if (outcome.type === 'spawn_error') {
      this.#counts.spawnErrors += 1
      this.#logger.error({ ...where, err: outcome.error }, 'trigger command could not be started')
    } else {
      const key = outcome.type === 'exit' ? String(outcome.code) : outcome.signal
      this.#exits[key] = (this.#exits[key] ?? 0) + 1
      if (key !== '0') this.#logger.warn({ ...where, exit: key }, 'trigger command failed')
    }
  }
}

/** The message as the command reads it on stdin: one JSON object, the same fields as `fedmsg tail --json`. */
function toJson(message: TriggerMessage) {
  return {
    topic: message.topic,
    signer: message.signer,
    msg_id: message.msgId,
    i: message.i,
    timestamp: message.timestamp,
    headers: message.headers,
    body: message.body,
  }
}
