import { bodyText } from '../body-field.js'
import type { MessageProcessor, SummaryInput } from '../message-summary.js'

const PACKAGES = 'https://admin.fedoraproject.org/pkgdb/package/'

/** The seed's pkgdb events, by event. */
const VERBS: Readonly<Record<string, (agent: string, pkg: string, body: unknown) => string>> = {
  'package.create': (agent, pkg) => `${agent} added the package ${pkg}`,
  'package.remove': (agent, pkg) => `${agent} removed the package ${pkg}`,
  'package.retire': (agent, pkg) => `${agent} retired the package ${pkg}`,
  'package.rename': (agent, pkg, body) =>
    `${agent} renamed the package ${bodyText(body, 'old_name') ?? 'a package'} to ${pkg}`,
  'package.owner.update': (agent, pkg, body) =>
    `${agent} changed the owner of ${pkg} to ${bodyText(body, 'owner') ?? bodyText(body, 'package_listing', 'owner') ?? 'someone'}`,
}

/** PkgDB, the package database: package creation, removal, renaming, retirement and ownership. */
export const pkgdbProcessor: MessageProcessor = {
  name: 'pkgdb',
  services: ['pkgdb'],
  icon: 'https://apps.fedoraproject.org/img/icons/pkgdb.png',
  summarize(message: SummaryInput, event: string) {
    const body = message.body
    const pkg =
      bodyText(body, 'package_listing', 'package', 'name') ??
      bodyText(body, 'package', 'name') ??
      bodyText(body, 'package') ??
      'a package'
    const agent = bodyText(body, 'agent') ?? 'someone'
    const subtitle = VERBS[event]?.(agent, pkg, body) ?? `${agent}: pkgdb ${event} for ${pkg}`
    const owner = bodyText(body, 'owner') ?? bodyText(body, 'package_listing', 'owner')
    const link = pkg === 'a package' ? undefined : PACKAGES + encodeURIComponent(pkg)
    return {
      subtitle,
      link,
      usernames: [agent, owner],
      packages: [pkg === 'a package' ? undefined : pkg],
    }
  },
}
