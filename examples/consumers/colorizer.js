/**
 * An example of derived messages, after the seed's busmon-colorizer: for every original message, publishes
 * `<prefix>.<env>.<derived service>.summary` with its one-line summary and a colour per service, for web
 * pages that show the bus. Name it in a hub's configuration, with the service the hub publishes as:
 *   "derived": { "service": "busmon" },
 *   "consumers": [{ "module": "./consumers/colorizer.js" }]
 * The derived message is signed with busmon's certificate, and its signed headers name the message it was
 * derived from (`derived_from`), so a reader can fetch and verify the original too.
 */
import { createSummarizer } from 'fedmsg'

const summarize = createSummarizer()

/** A fixed colour per service name, so a page shows each service the same way on every load. */
const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
]

function colourOf(service) {
  let hash = 0
  for (const char of service) hash = (hash * 31 + char.codePointAt(0)) >>> 0
  return PALETTE[hash % PALETTE.length]
}

export default {
  name: 'colorizer',
  topic: 'org.fedoraproject.>',
  async consume(message, context) {
    // Our own summaries (and anyone's derived messages) come back from the bus: summarising them again would
    // only be refused at derived.max_depth, so skip them here.
    if (message.headers.derived_from !== undefined) return
    const summary = summarize(message)
    await context.publish('summary', {
      topic: message.topic,
      signer: message.signer.name,
      subtitle: summary.subtitle,
      link: summary.link ?? null,
      service: summary.service,
      colour: colourOf(summary.service),
    })
  },
}
