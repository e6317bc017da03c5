import { bodyText } from '../body-field.js'
import type { MessageProcessor, SummaryInput } from '../message-summary.js'

const TAGGER = 'https://apps.fedoraproject.org/tagger/'

/**
 * Fedora Tagger: `tag.create|update|remove` (a vote on a package's tag), `user.rank.update`, `login`.
 * Link: the package's tags.
 */
export const taggerProcessor: MessageProcessor = {
  name: 'tagger',
  services: ['fedoratagger', 'tagger'],
  icon: 'https://apps.fedoraproject.org/img/icons/tagger.png',
  summarize(message: SummaryInput, event: string) {
    const body = message.body
    const user =
      bodyText(body, 'vote', 'user', 'username') ??
      bodyText(body, 'user', 'username') ??
      bodyText(body, 'user') ??
      'someone'
    const tag = bodyText(body, 'tag', 'tag') ?? bodyText(body, 'tag') ?? 'a tag'
    const pkg =
      bodyText(body, 'tag', 'package') ??
      bodyText(body, 'package', 'name') ??
      bodyText(body, 'package')
    const link = pkg === undefined ? undefined : TAGGER + encodeURIComponent(pkg)
    const on = pkg === undefined ? '' : ` on ${pkg}`
    let subtitle: string
    if (event === 'tag.create') subtitle = `${user} added the tag "${tag}"${on}`
    else if (event === 'tag.remove') subtitle = `${user} removed the tag "${tag}"${on}`
    else if (event === 'tag.update') {
      const like = bodyText(body, 'vote', 'like')
      subtitle = `${user} ${like === 'false' || like === '0' ? 'downvoted' : 'upvoted'} "${tag}"${on}`
    } else if (event === 'user.rank.update') {
      subtitle = `${user}'s tagger rank is now ${bodyText(body, 'user', 'rank') ?? bodyText(body, 'rank') ?? 'unknown'}`
    } else if (event === 'login') subtitle = `${user} logged in to Fedora Tagger`
    else subtitle = `${user}: tagger ${event}`
    return { subtitle, link, usernames: [user], packages: [pkg] }
  },
}
