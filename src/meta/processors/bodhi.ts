import { bodyList, bodyText, nameOfNvr } from '../body-field.js'
import type { MessageProcessor, SummaryInput } from '../message-summary.js'

const UPDATES = 'https://bodhi.fedoraproject.org/updates/'

/** What bodhi's update events did, by event (the seed's update.request/complete/push/remove, and comment). */
const VERBS: Readonly<Record<string, (agent: string, update: string, target: string) => string>> = {
  request: (agent, update, target) => `${agent} submitted ${update} to ${target}`,
  complete: (_agent, update, target) => `bodhi pushed ${update} to ${target}`,
  push: (agent, update) => `${agent} started a push of ${update}`,
  remove: (agent, update) => `${agent} removed ${update} from bodhi`,
}

/**
 * Bodhi, the update system: `update.request[.TYPE]`, `update.complete[.TYPE]`, `update.push`,
 * `update.remove`, `update.comment`. Link: the update's page, by alias.
 */
export const bodhiProcessor: MessageProcessor = {
  name: 'bodhi',
  services: ['bodhi'],
  icon: 'https://apps.fedoraproject.org/img/icons/bodhi.png',
  summarize(message: SummaryInput, event: string) {
    const body = message.body
    const [object, action, type] = event.split('.')
    const root = action === 'comment' ? ['comment', 'update'] : ['update']
    const alias = bodyText(body, ...root, 'alias')
    // Early bodhi messages carried the update's title as a string.
    const title =
      bodyText(body, ...root, 'title') ?? alias ?? bodyText(body, 'update') ?? 'an update'
    const agent = bodyText(body, 'agent') ?? bodyText(body, 'update', 'user', 'name') ?? 'someone'
    const builds = bodyList(body, 'update', 'builds').map((_, k) =>
      bodyText(body, 'update', 'builds', k, 'nvr'),
    )
    const packages = (builds.length > 0 ? builds : [title]).map(nameOfNvr)
    const usernames = [
      agent,
      bodyText(body, 'update', 'user', 'name'),
      bodyText(body, 'comment', 'user', 'name'),
    ]
    const link = alias === undefined ? undefined : UPDATES + encodeURIComponent(alias)
    if (object === 'update' && action === 'comment') {
      const karma = bodyText(body, 'comment', 'karma')
      const suffix = karma === undefined || karma === '0' ? '' : ` (karma: ${karma})`
      return {
        subtitle: `${agent} commented on bodhi update ${title}${suffix}`,
        link,
        usernames,
        packages,
      }
    }
    const target =
      bodyText(body, 'update', 'request') ??
      bodyText(body, 'request') ??
      type ??
      bodyText(body, 'update', 'status') ??
      'its target'
    const verb = object === 'update' && action !== undefined ? VERBS[action] : undefined
    const subtitle =
      verb?.(agent, title, target) ?? `${agent} changed bodhi update ${title} (${event})`
    return { subtitle, link, usernames, packages }
  },
}
