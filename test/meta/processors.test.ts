/**
 * One row per event of the seed's services: a realistic body in, the summary out (subtitle, link, users,
 * packages). Bodies follow what the services published (Fedora's bodhi, koji, fas, wiki, dist-git, pkgdb,
 * tagger and meetbot plugins) and the demo's traffic.
 */
import { describe, expect, it } from 'vitest'
import type { MessageSummary } from '../../src/meta/message-summary.js'
import { createSummarizer } from '../../src/meta/summarize-message.js'

const summarize = createSummarizer()
const P = 'org.fedoraproject.prod'

interface Row {
  readonly name: string
  readonly topic: string
  readonly body: Record<string, unknown>
  readonly signer?: string
  readonly expected: Partial<MessageSummary>
}

const ROWS: readonly Row[] = [
  {
    name: 'bodhi update.request',
    topic: `${P}.bodhi.update.request.testing`,
    body: {
      update: {
        alias: 'FEDORA-2024-3f1a2b9c04',
        title: 'python-requests-2.31.0-1.fc40',
        builds: [{ nvr: 'python-requests-2.31.0-1.fc40' }],
        request: 'testing',
        user: { name: 'lmacken' },
      },
      agent: 'lmacken',
    },
    expected: {
      service: 'bodhi',
      subtitle: 'lmacken submitted python-requests-2.31.0-1.fc40 to testing',
      link: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-3f1a2b9c04',
      usernames: ['lmacken'],
      packages: ['python-requests'],
      icon: 'https://apps.fedoraproject.org/img/icons/bodhi.png',
    },
  },
  {
    name: 'bodhi update.comment with karma',
    topic: `${P}.bodhi.update.comment`,
    body: {
      comment: {
        text: 'Works for me',
        karma: 1,
        user: { name: 'adamw' },
        update: { alias: 'FEDORA-2024-1', title: 'kernel-6.8.9-300.fc40' },
      },
      agent: 'adamw',
    },
    expected: {
      subtitle: 'adamw commented on bodhi update kernel-6.8.9-300.fc40 (karma: 1)',
      link: 'https://bodhi.fedoraproject.org/updates/FEDORA-2024-1',
      usernames: ['adamw'],
      packages: ['kernel'],
    },
  },
  {
    name: 'bodhi update.complete.stable (the seed: update.complete.TYPE)',
    topic: `${P}.bodhi.update.complete.stable`,
    body: {
      update: { title: 'firefox-125.0.3-1.fc40', status: 'stable', user: { name: 'kevin' } },
    },
    expected: {
      subtitle: 'bodhi pushed firefox-125.0.3-1.fc40 to stable',
      link: undefined,
      usernames: ['kevin'],
      packages: ['firefox'],
    },
  },
  {
    name: 'koji build.state.change to COMPLETE',
    topic: `${P}.buildsys.build.state.change`,
    body: {
      build_id: 2451234,
      name: 'systemd',
      version: '255.6',
      release: '1.fc40',
      owner: 'ralph',
      old: 0,
      new: 1,
    },
    expected: {
      service: 'koji',
      subtitle: "ralph's systemd-255.6-1.fc40 completed",
      link: 'https://koji.fedoraproject.org/koji/buildinfo?buildID=2451234',
      usernames: ['ralph'],
      packages: ['systemd'],
    },
  },
  {
    name: 'koji package.build.fail (the seed)',
    topic: `${P}.koji.package.build.fail`,
    body: { name: 'rust', version: '1.78.0', release: '1.fc40', owner: 'churchyard' },
    expected: { subtitle: "churchyard's rust-1.78.0-1.fc40 failed", packages: ['rust'] },
  },
  {
    name: 'koji tag.build',
    topic: `${P}.koji.tag.build`,
    body: {
      name: 'golang',
      version: '1.22.3',
      release: '1.fc40',
      tag: 'f40-updates-candidate',
      owner: 'kevin',
    },
    expected: { subtitle: 'kevin tagged golang-1.22.3-1.fc40 into f40-updates-candidate' },
  },
  {
    name: 'fas user.update',
    topic: `${P}.fas.user.update`,
    body: { agent: 'kevin', user: 'pingou', fields: ['timezone', 'ircnick'] },
    expected: {
      service: 'fas',
      subtitle: "kevin edited pingou's timezone, ircnick",
      link: 'https://accounts.fedoraproject.org/user/pingou',
      usernames: ['kevin', 'pingou'],
      packages: [],
    },
  },
  {
    name: 'fas group.member.sponsor',
    topic: `${P}.fas.group.member.sponsor`,
    body: { agent: 'mattdm', user: 'sgallagh', group: 'provenpackager' },
    expected: {
      subtitle: 'mattdm sponsored sgallagh into provenpackager',
      usernames: ['mattdm', 'sgallagh'],
    },
  },
  {
    name: 'fas group.create',
    topic: `${P}.fas.group.create`,
    body: { agent: 'kevin', group: 'fedora-qa' },
    expected: {
      subtitle: 'kevin created the group fedora-qa',
      link: 'https://accounts.fedoraproject.org/group/fedora-qa',
    },
  },
  {
    name: 'wiki article.edit',
    topic: `${P}.wiki.article.edit`,
    body: {
      title: 'Releases/40/Schedule',
      user: 'adamw',
      summary: 'Beta freeze moved',
      revision: 384120,
    },
    expected: {
      service: 'wiki',
      subtitle: 'adamw edited the wiki page "Releases/40/Schedule": Beta freeze moved',
      link: 'https://fedoraproject.org/w/index.php?title=Releases%2F40%2FSchedule&diff=384120',
      usernames: ['adamw'],
    },
  },
  {
    name: 'wiki upload.complete',
    topic: `${P}.wiki.upload.complete`,
    body: { name: 'Logo.png', user: 'mattdm' },
    expected: {
      subtitle: 'mattdm uploaded Logo.png to the wiki',
      link: 'https://fedoraproject.org/w/index.php?title=File%3ALogo.png',
    },
  },
  {
    name: 'git receive (dist-git)',
    topic: `${P}.git.receive`,
    body: {
      commit: {
        repo: 'rpms/podman',
        branch: 'rawhide',
        rev: 'a1b2c3',
        agent: 'pingou',
        summary: 'Update to 5.0.2',
      },
    },
    expected: {
      service: 'git',
      subtitle: 'pingou pushed to rpms/podman (rawhide): "Update to 5.0.2"',
      link: 'https://src.fedoraproject.org/rpms/podman/c/a1b2c3',
      usernames: ['pingou'],
      packages: ['podman'],
    },
  },
  {
    name: 'scm repo.checkin (the seed)',
    topic: `${P}.scm.repo.checkin`,
    body: { repo: 'gnome-shell', branch: 'f40', username: 'mclasen', message: 'Fix a crash' },
    expected: { service: 'git', subtitle: 'mclasen pushed to gnome-shell (f40): "Fix a crash"' },
  },
  {
    name: 'pkgdb package.create',
    topic: `${P}.pkgdb.package.create`,
    body: {
      agent: 'pingou',
      package_listing: { owner: 'ralph', package: { name: 'python-fedmsg' } },
    },
    expected: {
      service: 'pkgdb',
      subtitle: 'pingou added the package python-fedmsg',
      link: 'https://admin.fedoraproject.org/pkgdb/package/python-fedmsg',
      usernames: ['pingou', 'ralph'],
      packages: ['python-fedmsg'],
    },
  },
  {
    name: 'pkgdb package.owner.update',
    topic: `${P}.pkgdb.package.owner.update`,
    body: { agent: 'kevin', package_listing: { owner: 'orphan', package: { name: 'nethack' } } },
    expected: { subtitle: 'kevin changed the owner of nethack to orphan' },
  },
  {
    name: 'tagger tag.update (a vote)',
    topic: `${P}.fedoratagger.tag.update`,
    body: {
      tag: { tag: 'roguelike', package: 'nethack' },
      vote: { like: true, user: { username: 'ralph' } },
    },
    expected: {
      service: 'tagger',
      subtitle: 'ralph upvoted "roguelike" on nethack',
      link: 'https://apps.fedoraproject.org/tagger/nethack',
      usernames: ['ralph'],
      packages: ['nethack'],
    },
  },
  {
    name: 'tagger user.rank.update',
    topic: `${P}.fedoratagger.user.rank.update`,
    body: { user: { username: 'ralph', rank: 3 } },
    expected: { subtitle: "ralph's tagger rank is now 3" },
  },
  {
    name: 'meetbot meeting.complete',
    topic: `${P}.meetbot.meeting.complete`,
    body: {
      owner: 'mattdm',
      chairs: ['mattdm', 'sgallagh'],
      attendees: { mattdm: 12, sgallagh: 5, kevin: 2 },
      meeting_topic: 'FESCo',
      channel: '#fedora-meeting',
      url: 'https://meetbot.fedoraproject.org/fedora-meeting/2024-05-08/fesco.2024-05-08-17.00',
    },
    expected: {
      service: 'meetbot',
      subtitle: 'mattdm ended the meeting "FESCo" in #fedora-meeting',
      link: 'https://meetbot.fedoraproject.org/fedora-meeting/2024-05-08/fesco.2024-05-08-17.00.html',
      usernames: ['mattdm', 'sgallagh', 'kevin'],
    },
  },
  {
    name: 'irc meeting.start (the seed)',
    topic: `${P}.irc.meeting.start`,
    body: { owner: 'threebean', channel: '#fedora-admin' },
    expected: {
      service: 'meetbot',
      subtitle: 'threebean started a meeting in #fedora-admin',
      link: undefined,
    },
  },
  {
    name: 'fedmsg logger',
    topic: `${P}.logger.backup.complete`,
    signer: 'logger',
    body: { log: 'db01 backed up' },
    expected: { service: 'logger', subtitle: 'db01 backed up (logger)' },
  },
  {
    name: 'unknown service: the fallback',
    topic: `${P}.zabbix.service.update`,
    signer: 'zabbix',
    body: { anything: 1 },
    expected: {
      service: 'zabbix',
      subtitle: 'zabbix published org.fedoraproject.prod.zabbix.service.update',
      link: undefined,
      usernames: [],
      packages: [],
      icon: undefined,
    },
  },
  {
    name: 'another prefix: the fallback',
    topic: 'com.example.prod.bodhi.update.request',
    signer: 'bodhi',
    body: {},
    expected: {
      service: 'unknown',
      subtitle: 'bodhi published com.example.prod.bodhi.update.request',
    },
  },
]

describe('built-in summary processors', () => {
  it.each(ROWS)('$name', ({ topic, body, signer, expected }) => {
    const summary = summarize({ topic, body, signer: { name: signer ?? 'svc' } })
    expect(summary).toMatchObject(expected)
  })

  it('a body missing every field still gives a subtitle (no "undefined" in it)', () => {
    for (const { topic } of ROWS) {
      const { subtitle } = summarize({ topic, body: {}, signer: { name: 'svc' } })
      expect(subtitle, topic).not.toMatch(/undefined|null|\[object/)
      expect(subtitle.length, topic).toBeGreaterThan(0)
    }
  })

  it('link parts are URL-encoded: a hostile alias cannot leave the update page', () => {
    const { link } = summarize({
      topic: `${P}.bodhi.update.request`,
      body: { update: { alias: '../../evil?x=1#frag', title: 'x' } },
      signer: { name: 'bodhi' },
    })
    expect(link).toBe('https://bodhi.fedoraproject.org/updates/..%2F..%2Fevil%3Fx%3D1%23frag')
  })
})
