import type { Logger } from 'pino'
import { topicMatcher } from '../crypto/policy/topic-pattern.js'
import type { VerifiedMessage } from '../crypto/envelope/verified-message.js'
import type { ConsumerSetup } from './consumer-loader.js'
import { ConsumerRunner, type ConsumerStats } from './consumer-runner.js'
import { deriveWith, type DerivedPublisher } from './derived-publisher.js'
import { isHeartbeatPattern } from '../transport/topic-name.js'

interface Route {
  readonly runner: ConsumerRunner
  readonly patterns: readonly ((topic: string) => boolean)[]
  /** Only patterns ending in `.heartbeat`: heartbeats reach a consumer only when it asks for them by name. */
  readonly heartbeatPatterns: readonly ((topic: string) => boolean)[]
}

/**
 * Hands each verified message to every consumer whose topic patterns match it, through the consumer's own
 * bounded queue; owns the derived publisher the consumers publish through, closed once they are done.
 */
export class ConsumerDispatcher {
  readonly #routes: readonly Route[]
  readonly #derived: DerivedPublisher | undefined

  constructor(setups: readonly ConsumerSetup[], logger: Logger, derived?: DerivedPublisher) {
    this.#derived = derived
    const derive = deriveWith(derived)
    const taken = new Set<string>()
    this.#routes = setups.map((setup) => {
      let name = setup.name
      for (let n = 2; taken.has(name); n += 1) name = `${setup.name}-${n}`
      taken.add(name)
      const runner = new ConsumerRunner({
        name,
        consumer: setup.consumer,
        queueSize: setup.queueSize,
        timeoutMs: setup.timeoutMs,
        logger,
        derive,
      })
      return {
        runner,
        patterns: setup.patterns.map(topicMatcher),
        heartbeatPatterns: setup.patterns.filter(isHeartbeatPattern).map(topicMatcher),
      }
    })
  }

  /** Queues `message` for each matching consumer; returns how many took it. */
  dispatch(message: VerifiedMessage, isHeartbeat: boolean): number {
    let taken = 0
    for (const route of this.#routes) {
      const patterns = isHeartbeat ? route.heartbeatPatterns : route.patterns
      if (!patterns.some((matches) => matches(message.topic))) continue
      if (route.runner.offer(message)) taken += 1
    }
    return taken
  }

  stats(): Record<string, ConsumerStats> {
    return Object.fromEntries(this.#routes.map(({ runner }) => [runner.name, runner.stats()]))
  }

  /** Waits until every queue is empty, then closes the derived publisher. */
  async drain(): Promise<void> {
    await Promise.all(this.#routes.map(({ runner }) => runner.drain()))
    await this.#derived?.close()
  }

  /** Discards queued messages (counted as dropped) and waits for calls in progress, each bounded by its timeout. */
  async stop(): Promise<void> {
    await Promise.all(this.#routes.map(({ runner }) => runner.stop()))
    await this.#derived?.close()
  }
}
