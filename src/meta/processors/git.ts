import { bodyText } from '../body-field.js'
import type { MessageProcessor, SummaryInput } from '../message-summary.js'

const SOURCES = 'https://src.fedoraproject.org/'

/**
 * Git (dist-git's post-receive hook, `git.receive`) and the seed's SCM hook (`scm.repo.checkin`): who pushed
 * what to which repository. Link: the commit.
 */
export const gitProcessor: MessageProcessor = {
  name: 'git',
  services: ['git', 'scm'],
  icon: 'https://apps.fedoraproject.org/img/icons/git-logo.png',
  summarize(message: SummaryInput, event: string) {
    const body = message.body
    const commit = (...path: string[]) =>
      bodyText(body, 'commit', ...path) ?? bodyText(body, ...path)
    const repo = commit('repo') ?? commit('repository') ?? 'a repository'
    const agent = commit('agent') ?? commit('username') ?? commit('author') ?? 'someone'
    const branch = commit('branch')
    const summary = commit('summary') ?? commit('message')
    const rev = commit('rev')
    const where = branch === undefined ? repo : `${repo} (${branch})`
    const verb = event === 'receive' || event === 'repo.checkin' ? 'pushed to' : `(${event})`
    const subtitle = `${agent} ${verb} ${where}` + (summary === undefined ? '' : `: "${summary}"`)
    const link =
      rev === undefined || repo === 'a repository'
        ? undefined
        : `${SOURCES}${repo.split('/').map(encodeURIComponent).join('/')}/c/${encodeURIComponent(rev)}`
    return { subtitle, link, usernames: [agent], packages: [repo.split('/').at(-1)] }
  },
}
