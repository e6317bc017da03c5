/**
 * An example hub consumer: prints one line per verified message, with the service that signed it.
 *
 * Name it in a configuration file (fedmsg.d/*.json), relative to that file:
 *   "consumers": [{ "module": "./consumers/announce.js", "topic": "org.fedoraproject.*.bodhi.>" }]
 * `fedmsg demo` runs it for every topic. Only messages that passed every check reach `consume`:
 * `message.signer.name` is the CN of the certificate that signed it, not something the sender claimed.
 */

/** One-line summaries of the events the demo services publish; anything else is shown as JSON. */
const SUMMARIES = {
  'bodhi.update.request': (m) =>
    `${m.update.title} (${m.update.alias}) → ${m.update.request}, by ${m.agent}`,
  'bodhi.update.comment': (m) =>
    `${m.agent} on ${m.comment.update.title}: "${m.comment.text}" karma ${m.comment.karma}`,
  'koji.build.state.change': (m) =>
    `${m.name}-${m.version}-${m.release} ${KOJI_STATES[m.old] ?? 'new'} → ${KOJI_STATES[m.new]} (${m.owner})`,
  'fas.user.update': (m) => `${m.agent} updated ${m.user}: ${m.fields.join(', ')}`,
  'fas.group.member.sponsor': (m) => `${m.agent} sponsored ${m.user} into ${m.group}`,
  'wiki.article.edit': (m) => `${m.user} edited ${m.title}: ${m.summary}`,
  'git.receive': (m) =>
    `${m.commit.agent} pushed ${m.commit.rev.slice(0, 7)} to ${m.commit.repo} (${m.commit.branch}): ${m.commit.summary}`,
}

const KOJI_STATES = ['BUILDING', 'COMPLETE', 'DELETED', 'FAILED', 'CANCELED']

function summarize(topic, body) {
  // <prefix: 2 tokens>.<environment>.<service>.<event...>
  const event = topic.split('.').slice(3).join('.')
  try {
    const summary = SUMMARIES[event]?.(body)
    if (summary !== undefined) return summary
  } catch {
    // A body of another shape than the demo's: fall back to JSON.
  }
  const json = JSON.stringify(body)
  return json.length > 100 ? `${json.slice(0, 97)}...` : json
}

export default {
  name: 'announce',
  topic: 'org.fedoraproject.>',
  consume(message) {
    // The time of delivery, not the message's timestamp: the terminal's lines then read in time order.
    const time = new Date().toISOString().slice(11, 23)
    const signer = message.signer.name.padEnd(5)
    process.stdout.write(
      `${time}  ✔ ${signer}  ${message.topic}  ${summarize(message.topic, message.body)}\n`,
    )
  },
}
