/**
 * What the summarizer reads of a message: a {@link VerifiedMessage} fits, and so does any object with these
 * three fields (a stored message, a test's table row).
 */
export interface SummaryInput {
  readonly topic: string
  readonly body: Readonly<Record<string, unknown>>
  readonly signer: { readonly name: string }
}

/**
 * A message for humans (Python fedmsg's `fedmsg.meta`): one line of text, a link, who and what it concerns.
 * Every field is cleaned: no control or formatting characters, bounded lengths, `link` and `icon` only
 * `http(s)` URLs.
 */
export interface MessageSummary {
  /** One line, e.g. `lmacken submitted python-requests-2.31.0-1.fc40 to testing`. */
  readonly subtitle: string
  /** Where a human reads more, when the processor knows. */
  readonly link: string | undefined
  /** Accounts the message concerns (who acted, who was acted on), in order of appearance, no duplicates. */
  readonly usernames: readonly string[]
  /** Packages the message concerns. */
  readonly packages: readonly string[]
  /** An image URL for the service. */
  readonly icon: string | undefined
  /** The processor's service name (`bodhi`), or the topic's service token for the fallback. */
  readonly service: string
}

/** What a processor returns; the summarizer cleans and bounds every field. */
export interface ProcessorSummary {
  readonly subtitle: string
  readonly link?: string | undefined
  readonly usernames?: readonly (string | undefined)[]
  readonly packages?: readonly (string | undefined)[]
  readonly icon?: string | undefined
}

/**
 * Turns the messages of one service into summaries. `services` are the topic tokens it handles: the token after
 * `<topic_prefix>.<environment>.`, as `bodhi` in `org.fedoraproject.prod.bodhi.update.request`. `summarize`
 * gets the rest of the topic (`update.request`) as `event`. It may throw or return nonsense on a body it does
 * not expect: the summarizer then uses the fallback and counts the failure.
 *
 * @example
 * ```ts
 * const backups: MessageProcessor = {
 *   name: 'backup',
 *   services: ['backup'],
 *   summarize: (message, event) => ({ subtitle: `backup ${event} on ${String(message.body.host)}` }),
 * }
 * ```
 */
export interface MessageProcessor {
  /** The service name summaries carry (`MessageSummary.service`). */
  readonly name: string
  readonly services: readonly string[]
  /** Default icon of its summaries. */
  readonly icon?: string
  summarize(message: SummaryInput, event: string): ProcessorSummary
}

/** A function from a message to its summary; never throws. */
export type Summarize = (message: SummaryInput) => MessageSummary
