import type { FedmsgConfig } from '../config/config-types.js'
import { InvalidTopic } from '../errors.js'

type TopicScope = Pick<FedmsgConfig, 'topic_prefix' | 'environment'>

/** The last token of every heartbeat topic: `<prefix>.<environment>.<service>.heartbeat`. */
export const HEARTBEAT_TOKEN = 'heartbeat'

/**
 * The full topic of a message service `name` publishes: `<topic_prefix>.<environment>.<name>.<suffix>`, or
 * `suffix` itself when it already starts with `<topic_prefix>.`.
 *
 * @example
 * ```ts
 * publisherTopic({ topic_prefix: 'org.fedoraproject', environment: 'prod' }, 'bodhi', 'update.request')
 * // 'org.fedoraproject.prod.bodhi.update.request'
 * ```
 */
export function publisherTopic(scope: TopicScope, name: string, suffix: string): string {
  const topic = suffix.startsWith(`${scope.topic_prefix}.`)
    ? suffix
    : `${scope.topic_prefix}.${scope.environment}.${name}.${suffix}`
  if (topic === heartbeatTopic(scope, name)) {
    throw new InvalidTopic(
      topic,
      `${topic} is reserved for the publisher's own heartbeats: pick another`,
    )
  }
  return topic
}

/** The topic of service `name`'s heartbeats. */
export function heartbeatTopic(scope: TopicScope, name: string): string {
  return `${scope.topic_prefix}.${scope.environment}.${name}.${HEARTBEAT_TOKEN}`
}

/** True for a pattern that names heartbeat topics on purpose (its last token is `heartbeat`). */
export function isHeartbeatPattern(pattern: string): boolean {
  return pattern.split('.').at(-1) === HEARTBEAT_TOKEN
}
