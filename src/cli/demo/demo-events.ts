import { randomBytes } from 'node:crypto'

/** One event a demo service publishes: `topic` is the suffix after `<prefix>.<env>.<service>.`. */
export interface DemoEvent {
  readonly service: string
  readonly topic: string
  readonly body: Record<string, unknown>
}

// Fedora-flavoured data: builds of the 40 cycle, contributors, groups and wiki pages.
const BUILDS = [
  ['python-requests', '2.31.0', '1.fc40'],
  ['kernel', '6.8.9', '300.fc40'],
  ['firefox', '125.0.3', '1.fc40'],
  ['gnome-shell', '46.1', '1.fc40'],
  ['systemd', '255.6', '1.fc40'],
  ['podman', '5.0.2', '1.fc40'],
  ['rust', '1.78.0', '1.fc40'],
  ['golang', '1.22.3', '1.fc40'],
] as const
const PEOPLE = ['lmacken', 'ralph', 'adamw', 'kevin', 'pingou', 'churchyard', 'mattdm', 'sgallagh']
const GROUPS = ['packager', 'provenpackager', 'fedora-qa', 'sysadmin-noc', 'marketing']
const PAGES = [
  ['Releases/40/Schedule', 'Beta freeze moved by one week'],
  ['Changes/Python3.13', 'Add contingency plan'],
  ['Test_Day:2024-05-08_Kernel_6.8', 'Link the results page'],
  ['QA:Testcase_base_startup', 'Clarify the expected result'],
] as const
const COMMENTS = [
  'Works for me on x86_64, no regressions.',
  'Tested on aarch64 (Raspberry Pi 4): boots fine.',
  'Fixes the TLS handshake failure for me.',
] as const
/** koji build states (koji.BUILD_STATES). */
const BUILDING = 0
const COMPLETE = 1

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!
const nvr = (n: number) => pick(BUILDS, n).join('-')
const alias = (n: number) => `FEDORA-2024-${(0x3f1a2b9c04 + n * 7919).toString(16)}`

/** The events of the demo, in the order they are published; `n` makes each round different. */
const SCRIPT: readonly ((n: number) => DemoEvent)[] = [
  (n) => ({
    service: 'fas',
    topic: 'user.update',
    body: { agent: pick(PEOPLE, n), user: pick(PEOPLE, n), fields: ['timezone', 'ircnick'] },
  }),
  (n) => ({
    service: 'bodhi',
    topic: 'update.request',
    body: {
      update: {
        alias: alias(n),
        title: nvr(n),
        builds: [{ nvr: nvr(n) }],
        release: { name: 'F40', version: '40' },
        type: n % 3 === 0 ? 'security' : 'bugfix',
        request: n % 2 === 0 ? 'testing' : 'stable',
        user: { name: pick(PEOPLE, n + 1) },
      },
      agent: pick(PEOPLE, n + 1),
    },
  }),
  (n) => ({
    service: 'git',
    topic: 'receive',
    body: {
      commit: {
        repo: `rpms/${pick(BUILDS, n)[0]}`,
        branch: n % 2 === 0 ? 'rawhide' : 'f40',
        rev: randomBytes(20).toString('hex'),
        agent: pick(PEOPLE, n + 2),
        summary: `Update to ${pick(BUILDS, n)[1]}`,
        stats: { total: { additions: 12 + n, deletions: 3, files: 2 } },
      },
    },
  }),
  (n) => kojiBuild(n, null, BUILDING),
  (n) => ({
    service: 'wiki',
    topic: 'article.edit',
    body: {
      title: pick(PAGES, n)[0],
      user: pick(PEOPLE, n + 3),
      summary: pick(PAGES, n)[1],
      minor_edit: false,
      revision: 384_120 + n,
    },
  }),
  (n) => kojiBuild(n, BUILDING, COMPLETE),
  (n) => ({
    service: 'bodhi',
    topic: 'update.comment',
    body: {
      comment: {
        text: pick(COMMENTS, n),
        karma: 1,
        user: { name: pick(PEOPLE, n + 4) },
        update: { alias: alias(n), title: nvr(n) },
      },
      agent: pick(PEOPLE, n + 4),
    },
  }),
  (n) => ({
    service: 'fas',
    topic: 'group.member.sponsor',
    body: { agent: pick(PEOPLE, n + 5), user: pick(PEOPLE, n + 6), group: pick(GROUPS, n) },
  }),
]

function kojiBuild(n: number, old: number | null, state: number): DemoEvent {
  const [name, version, release] = pick(BUILDS, n)
  return {
    service: 'koji',
    topic: 'build.state.change',
    body: {
      build_id: 2_451_234 + n,
      task_id: 117_654_321 + n,
      name,
      version,
      release,
      owner: pick(PEOPLE, n),
      instance: 'primary',
      attribute: 'state',
      old,
      new: state,
    },
  }
}

/** The services the demo events come from. */
export const DEMO_SERVICES = ['bodhi', 'fas', 'git', 'koji', 'wiki'] as const

/**
 * The demo's traffic, endlessly: bodhi update requests and comments, koji build state changes, fas account
 * and group changes, wiki edits and git pushes, cycling so that every service speaks within a few events.
 *
 * @example
 * ```ts
 * const events = demoEvents()
 * events.next().value // { service: 'fas', topic: 'user.update', body: { … } }
 * ```
 */
export function* demoEvents(): Generator<DemoEvent, never> {
  for (let n = 0; ; n += 1) yield pick(SCRIPT, n)(Math.floor(n / SCRIPT.length))
}
