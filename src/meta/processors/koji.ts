import { bodyText } from '../body-field.js'
import type { MessageProcessor, SummaryInput } from '../message-summary.js'

const BUILD_INFO = 'https://koji.fedoraproject.org/koji/buildinfo?buildID='

/** koji.BUILD_STATES, as the words of a subtitle. */
const BUILD_STATES: readonly string[] = [
  'started',
  'completed',
  'was deleted',
  'failed',
  'was cancelled',
]
/** The seed's `package.build.<event>` topics. */
const BUILD_EVENTS: Readonly<Record<string, string>> = {
  start: 'started',
  complete: 'completed',
  fail: 'failed',
}

/**
 * Koji, the build system: `build.state.change` (Fedora's koji plugin), `package.build.start|complete|fail`
 * and `tag.build`, `tag.create` (the seed's list). Link: the build's page.
 */
export const kojiProcessor: MessageProcessor = {
  name: 'koji',
  services: ['koji', 'buildsys'],
  icon: 'https://apps.fedoraproject.org/img/icons/koji.png',
  summarize(message: SummaryInput, event: string) {
    const body = message.body
    const name = bodyText(body, 'name') ?? bodyText(body, 'package')
    const version = bodyText(body, 'version')
    const release = bodyText(body, 'release')
    const nvr =
      name !== undefined && version !== undefined && release !== undefined
        ? `${name}-${version}-${release}`
        : (bodyText(body, 'build') ?? name ?? 'a build')
    const owner = bodyText(body, 'owner') ?? bodyText(body, 'user')
    const buildId = bodyText(body, 'build_id')
    const link = buildId === undefined ? undefined : BUILD_INFO + encodeURIComponent(buildId)
    const usernames = [owner]
    const packages = [name]
    const tag = bodyText(body, 'tag')
    let subtitle: string
    if (event === 'tag.build' || event === 'buildsys.tag') {
      subtitle = `${owner ?? 'koji'} tagged ${nvr} into ${tag ?? 'a tag'}`
    } else if (event === 'tag.create') {
      subtitle = `${owner ?? 'koji'} created the koji tag ${tag ?? 'a tag'}`
    } else {
      const state =
        event === 'build.state.change'
          ? BUILD_STATES[Number(bodyText(body, 'new'))]
          : BUILD_EVENTS[event.replace(/^package\.build\./, '')]
      if (state === undefined)
        return { subtitle: `koji ${event}: ${nvr}`, link, usernames, packages }
      subtitle = owner === undefined ? `${nvr} ${state}` : `${owner}'s ${nvr} ${state}`
    }
    return { subtitle, link, usernames, packages }
  },
}
