import { bodyList, bodyText } from '../body-field.js'
import type { MessageProcessor, SummaryInput } from '../message-summary.js'

const ACCOUNTS = 'https://accounts.fedoraproject.org/'

/** Subtitles of the seed's fas events, by event; `user`/`group` are what the message names. */
const SUBTITLES: Readonly<
  Record<string, (s: { agent: string; user: string; group: string; fields: string }) => string>
> = {
  'user.create': ({ user }) => `new account created: ${user}`,
  'user.update': ({ agent, user, fields }) =>
    agent === user ? `${agent} edited their ${fields}` : `${agent} edited ${user}'s ${fields}`,
  'group.create': ({ agent, group }) => `${agent} created the group ${group}`,
  'group.update': ({ agent, group }) => `${agent} changed the group ${group}`,
  'group.member.apply': ({ user, group }) => `${user} applied for membership in ${group}`,
  'group.member.sponsor': ({ agent, user, group }) => `${agent} sponsored ${user} into ${group}`,
  'group.member.remove': ({ agent, user, group }) => `${agent} removed ${user} from ${group}`,
  'role.update': ({ agent, user, group }) => `${agent} changed ${user}'s role in ${group}`,
}

/** FAS, the account system: account and group membership events. Link: the user's (or group's) page. */
export const fasProcessor: MessageProcessor = {
  name: 'fas',
  services: ['fas'],
  icon: 'https://apps.fedoraproject.org/img/icons/fedmsg.png',
  summarize(message: SummaryInput, event: string) {
    const body = message.body
    const agent = bodyText(body, 'agent') ?? bodyText(body, 'agent', 'username') ?? 'someone'
    const user = bodyText(body, 'user') ?? bodyText(body, 'user', 'username') ?? agent
    const group = bodyText(body, 'group') ?? bodyText(body, 'group', 'name') ?? 'a group'
    const fieldNames = bodyList(body, 'fields').filter((f): f is string => typeof f === 'string')
    const fields = fieldNames.length === 0 ? 'account' : `${fieldNames.join(', ')}`
    const write = SUBTITLES[event]
    const subtitle = write?.({ agent, user, group, fields }) ?? `${agent}: fas ${event}`
    const link =
      event.startsWith('group.') && !event.startsWith('group.member.')
        ? `${ACCOUNTS}group/${encodeURIComponent(group)}`
        : `${ACCOUNTS}user/${encodeURIComponent(user)}`
    return { subtitle, link, usernames: [agent, user] }
  },
}
