import { bodyKeys, bodyList, bodyText } from '../body-field.js'
import type { MessageProcessor, SummaryInput } from '../message-summary.js'

/**
 * MeetBot, IRC meetings (supybot-fedmsg): `meeting.start`, `meeting.complete`, `meeting.topic.update`, under
 * the service `meetbot` (Fedora) or `irc` (the seed). Link: the minutes, once the meeting is over.
 */
export const meetbotProcessor: MessageProcessor = {
  name: 'meetbot',
  services: ['meetbot', 'irc'],
  icon: 'https://apps.fedoraproject.org/img/icons/meetbot.png',
  summarize(message: SummaryInput, event: string) {
    const body = message.body
    const owner = bodyText(body, 'owner') ?? 'someone'
    const channel = bodyText(body, 'channel') ?? 'IRC'
    const name = bodyText(body, 'meeting_topic') ?? bodyText(body, 'name')
    const meeting = name === undefined ? 'a meeting' : `the meeting "${name}"`
    let subtitle: string
    if (event === 'meeting.start') subtitle = `${owner} started ${meeting} in ${channel}`
    else if (event === 'meeting.complete') subtitle = `${owner} ended ${meeting} in ${channel}`
    else if (event === 'meeting.topic.update') {
      subtitle = `${owner} changed the topic of ${meeting} in ${channel} to "${bodyText(body, 'topic') ?? ''}"`
    } else subtitle = `${owner}: meetbot ${event} in ${channel}`
    const url = bodyText(body, 'url')
    const link = event === 'meeting.complete' && url !== undefined ? `${url}.html` : undefined
    const chairs = bodyList(body, 'chairs').map((_, k) => bodyText(body, 'chairs', k))
    return { subtitle, link, usernames: [owner, ...chairs, ...bodyKeys(body, 'attendees')] }
  },
}
