import { InvalidTopic } from '../../errors.js'

/** Longest topic in UTF-8 bytes (docs/protocol.md §1.1). */
export const MAX_TOPIC_BYTES = 255

const TOKEN = /^[A-Za-z0-9_-]+$/
const WHOLE_TOPIC = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/

// TextEncoder rather than Buffer: this module also runs in the browser verifier (src/browser).
const utf8 = new TextEncoder()
const utf8Length = (text: string): number =>
  text.length > MAX_TOPIC_BYTES ? text.length : utf8.encode(text).length

/** Why `topic` breaks the grammar of docs/protocol.md §1.1, or undefined when it follows it. */
function describeTopicFault(topic: string): string | undefined {
  if (utf8Length(topic) > MAX_TOPIC_BYTES) {
    return `topic is longer than ${MAX_TOPIC_BYTES} bytes`
  }
  if (!topic.split('.').every((token) => TOKEN.test(token))) {
    return 'topic must be dot-separated tokens of [A-Za-z0-9_-]+'
  }
  return undefined
}

/**
 * True when `topic` is one or more tokens of `[A-Za-z0-9_-]+` joined by `.`, at most 255 bytes.
 *
 * @example
 * ```ts
 * isValidTopic('org.fedoraproject.prod.bodhi.update.request') // true
 * isValidTopic('org..bodhi') // false
 * ```
 */
export function isValidTopic(topic: string): boolean {
  // The same answer as describeTopicFault in one regular expression: a topic of the grammar is ASCII, so its
  // UTF-8 length is its length. The hub asks this for every message and consumer pattern.
  return topic.length <= MAX_TOPIC_BYTES && WHOLE_TOPIC.test(topic)
}

/**
 * Throws `InvalidTopic` unless `topic` follows the topic grammar (docs/protocol.md §1.1).
 *
 * @example
 * ```ts
 * assertValidTopic('org.fedoraproject.dev.logger.log') // returns
 * ```
 */
export function assertValidTopic(topic: string): void {
  const fault = typeof topic === 'string' ? describeTopicFault(topic) : 'topic must be a string'
  if (fault !== undefined)
    throw new InvalidTopic(String(topic), `invalid topic "${topic}": ${fault}`)
}

/**
 * Throws `InvalidTopic` unless `pattern` is a topic pattern (docs/protocol.md §1.2): tokens, `*` for one
 * token, and `>` only as the last token. A wildcard is a whole token: `bod*` is not a pattern.
 *
 * @example
 * ```ts
 * assertValidTopicPattern('org.fedoraproject.*.bodhi.>') // returns
 * ```
 */
export function assertValidTopicPattern(pattern: string): void {
  const tokens = typeof pattern === 'string' ? pattern.split('.') : []
  const valid =
    tokens.length > 0 &&
    utf8Length(pattern) <= MAX_TOPIC_BYTES &&
    tokens.every(
      (token, index) =>
        TOKEN.test(token) || token === '*' || (token === '>' && index === tokens.length - 1),
    )
  if (!valid) {
    throw new InvalidTopic(
      String(pattern),
      `invalid topic pattern "${pattern}": use tokens of [A-Za-z0-9_-]+, "*" for one token, ">" only last`,
    )
  }
}

/**
 * True when `pattern` matches `topic` token by token: `*` matches exactly one token, a final `>` one or more
 * trailing tokens. Wildcards never match part of a token nor cross a `.`. An invalid topic matches nothing.
 *
 * @example
 * ```ts
 * topicMatches('org.fedoraproject.*.bodhi.>', 'org.fedoraproject.prod.bodhi.update.request') // true
 * topicMatches('org.fedoraproject.*.bodhi.>', 'org.fedoraproject.prod.bodhi') // false
 * ```
 */
export function topicMatches(pattern: string, topic: string): boolean {
  return isValidTopic(topic) && tokensMatch(pattern.split('.'), topic.split('.'))
}

/**
 * {@link topicMatches} for one pattern and many topics: the pattern is split once, not on every call.
 *
 * @example
 * ```ts
 * const matches = topicMatcher('org.fedoraproject.*.bodhi.>')
 * matches('org.fedoraproject.prod.bodhi.update.request') // true
 * ```
 */
export function topicMatcher(pattern: string): (topic: string) => boolean {
  const want = pattern.split('.')
  return (topic) => isValidTopic(topic) && tokensMatch(want, topic.split('.'))
}

function tokensMatch(want: readonly string[], have: readonly string[]): boolean {
  for (let index = 0; index < want.length; index++) {
    const token = want[index]!
    if (token === '>' && index === want.length - 1) return have.length > index
    if (index >= have.length) return false
    if (token !== '*' && token !== have[index]) return false
  }
  return want.length === have.length
}
