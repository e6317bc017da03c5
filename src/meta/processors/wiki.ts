import { bodyText } from '../body-field.js'
import type { MessageProcessor, SummaryInput } from '../message-summary.js'

const WIKI = 'https://fedoraproject.org/w/index.php'

/** The wiki (the mediawiki plugin): `article.edit` and `upload.complete`. Link: the diff, or the file. */
export const wikiProcessor: MessageProcessor = {
  name: 'wiki',
  services: ['wiki'],
  icon: 'https://apps.fedoraproject.org/img/icons/mediawiki.png',
  summarize(message: SummaryInput, event: string) {
    const body = message.body
    const user = bodyText(body, 'user') ?? 'someone'
    if (event === 'upload.complete') {
      const name = bodyText(body, 'name') ?? bodyText(body, 'title') ?? 'a file'
      const link = `${WIKI}?title=${encodeURIComponent(`File:${name}`)}`
      return { subtitle: `${user} uploaded ${name} to the wiki`, link, usernames: [user] }
    }
    const title = bodyText(body, 'title') ?? 'a page'
    const summary = bodyText(body, 'summary')
    const revision = bodyText(body, 'revision')
    const link =
      `${WIKI}?title=${encodeURIComponent(title)}` +
      (revision === undefined ? '' : `&diff=${encodeURIComponent(revision)}`)
    const verb = event === 'article.edit' ? 'edited' : `(${event})`
    const subtitle =
      `${user} ${verb} the wiki page "${title}"` + (summary === undefined ? '' : `: ${summary}`)
    return { subtitle, link, usernames: [user] }
  },
}
