/**
 * `fedmsg config import-legacy`: Python fedmsg 1.1.7's own fedmsg.d (copied at run time from the peer's source)
 * plus a site file as a Fedora-like deployment writes it, read as literals and by Python itself, translated
 * into this project's configuration, routing policy and bridge flags.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RoutingPolicy } from '../../src/crypto/policy/routing-policy.js'
import { readPythonConfigLiteral } from '../../src/legacy/config-import/python-config-literal.js'
import { LegacyRoutingPolicy } from '../../src/legacy/legacy-routing-policy.js'
import { assertBuilt, startCli } from '../cli/cli-process.js'
import { assertPeerInstalled, PEER_PY, PEER_WORK } from './python-peer.js'

/** A site's own file, as a Fedora-like deployment writes one (names sort after the upstream defaults). */
const SITE = `# Site settings: production bus.
import socket
hostname = socket.gethostname()

config = dict(
    environment="prod",
    sign_messages=True,
    validate_signatures=True,
    ssldir="/etc/pki/fedmsg",
    ca_cert_location="/etc/pki/fedmsg/ca.crt",
    crl_location="https://fedoraproject.org/fedmsg/crl.pem",
    crl_cache="/var/run/fedmsg/crl.pem",
    endpoints={
        "bodhi.app01": ["tcp://app01.example.org:3000", "tcp://app01.example.org:3001"],
        "bodhi.app02": ["tcp://app02.example.org:3000"],
        "koji.koji01": ["tcp://koji01.example.org:3000"],
        "relay_outbound": ["tcp://busgateway01.example.org:3999"],
    },
    relay_inbound="tcp://busgateway01.example.org:9941",
    certnames={
        "bodhi.app01": "bodhi-app01.example.org",
        "koji.koji01": "koji-koji01.example.org",
    },
    routing_policy={
        "org.fedoraproject.prod.bodhi.update.request": ["bodhi-app01.example.org"],
        "org.fedoraproject.prod.buildsys.build.state.change": ["koji-koji01.example.org"],
    },
    routing_nitpicky=True,
    high_water_mark=0,
    zmq_linger=2000,
    stomp_pass="s3cret-value",
)
`

/** The same kind of file built by code: literal reading refuses it, Python reads it. */
const CODE = `import socket
hostname = socket.gethostname().split('.')[0]
config = dict(endpoints={"bodhi.%s" % hostname: ["tcp://%s:3000" % hostname]})
`

let dir: string
let site: string
beforeAll(() => {
  assertPeerInstalled()
  assertBuilt('config')
  dir = mkdtempSync(join(tmpdir(), 'fm-import-'))
  site = join(dir, 'fedmsg.d')
  cpSync(join(PEER_WORK, 'src', 'fedmsg.d'), site, { recursive: true })
  writeFileSync(join(site, 'zz-site.py'), SITE)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const importLegacy = async (args: readonly string[]) => {
  const cli = startCli(['config', 'import-legacy', ...args], { cwd: dir })
  const status = await cli.exited
  return { status, stdout: cli.stdout.join('\n'), stderr: cli.stderr.join('\n') }
}

describe('fedmsg config import-legacy', () => {
  it('translates Python fedmsg’s fedmsg.d: the same from literals as from Python itself', async () => {
    const literal = await importLegacy([site])
    const python = await importLegacy([site, '--python', PEER_PY])
    expect(literal.status).toBe(0)
    expect(python.status).toBe(0)
    expect(JSON.parse(literal.stdout)).toEqual(JSON.parse(python.stdout))

    const out = JSON.parse(literal.stdout) as {
      config: Record<string, unknown>
      routing_policy: unknown
      bridge: Record<string, unknown>
      notes: string[]
    }
    expect(out.config).toEqual({
      topic_prefix: 'org.fedoraproject',
      environment: 'prod',
      endpoints: {
        'fedora-infrastructure': ['tcp://hub.fedoraproject.org:9940'],
        bodhi: [
          'tcp://app01.example.org:3000',
          'tcp://app01.example.org:3001',
          'tcp://app02.example.org:3000',
        ],
        koji: ['tcp://koji01.example.org:3000'],
      },
      relay_outbound: 'tcp://busgateway01.example.org:3999',
      relay_inbound: 'tcp://busgateway01.example.org:9941',
      linger_ms: 2000,
      reconnect_ivl_ms: 100,
    })
    expect(out.routing_policy).toEqual({
      default: 'deny',
      rules: [
        {
          topic: 'org.fedoraproject.prod.announce.announcement',
          allow: ['announce-lockbox.phx2.fedoraproject.org'],
        },
        {
          topic: 'org.fedoraproject.prod.bodhi.update.request',
          allow: ['bodhi-app01.example.org'],
        },
        {
          topic: 'org.fedoraproject.prod.buildsys.build.state.change',
          allow: ['koji-koji01.example.org'],
        },
      ],
    })
    expect(out.bridge).toMatchObject({
      ca: '/etc/pki/fedmsg/ca.crt',
      crl: '/var/run/fedmsg/crl.pem',
      nitpicky: true,
      legacyCerts: {
        'bodhi.app01': {
          cert: '/etc/pki/fedmsg/bodhi-app01.example.org.crt',
          key: '/etc/pki/fedmsg/bodhi-app01.example.org.key',
        },
      },
    })
    expect(out.bridge['connect']).toContain('tcp://busgateway01.example.org:3999')
    expect(out.notes.join('\n')).toMatch(/crl_location is a URL/)
    expect(out.notes.join('\n')).toMatch(/not carried over .*stomp_pass/)
    // Names only: a secret value in the legacy config is never printed.
    expect(literal.stdout + literal.stderr).not.toContain('s3cret-value')
  })

  it('writes files this project reads: fedmsg.json, routing-policy.json, legacy-routing-policy.json', async () => {
    const outDir = join(dir, 'out')
    const written = await importLegacy([site, '--out', outDir])
    expect(written.status).toBe(0)
    expect(written.stderr).toMatch(/high_water_mark 0/)
    const shown = startCli(['config', '--json', '--config', join(outDir, 'fedmsg.json')], {
      cwd: dir,
    })
    expect(await shown.exited, shown.stderr.join('\n')).toBe(0)
    const { config } = JSON.parse(shown.stdout.join('\n')) as { config: Record<string, unknown> }
    expect(config['routing_policy']).toBe(join(outDir, 'routing-policy.json'))
    expect(
      RoutingPolicy.fromJson(JSON.parse(readFileSync(join(outDir, 'routing-policy.json'), 'utf8'))),
    ).toBeInstanceOf(RoutingPolicy)
    const legacy = JSON.parse(
      readFileSync(join(outDir, 'legacy-routing-policy.json'), 'utf8'),
    ) as unknown
    expect(LegacyRoutingPolicy.fromJson(legacy, true)).toBeInstanceOf(LegacyRoutingPolicy)
    // Never overwrites.
    const again = await importLegacy([site, '--out', outDir])
    expect(again.status).toBe(2)
    expect(again.stderr).toContain('ERR_FEDMSG_CONFIG_INVALID')
  })

  it('refuses, naming file and line, a config built by code unless Python reads it', async () => {
    const codeDir = join(dir, 'code.d')
    cpSync(site, codeDir, { recursive: true })
    writeFileSync(join(codeDir, 'zzz-host.py'), CODE)
    const literal = await importLegacy([codeDir])
    expect(literal.status).toBe(2)
    expect(literal.stderr).toContain('ERR_FEDMSG_CONFIG_INVALID')
    expect(literal.stderr).toMatch(/zzz-host\.py:3: .*--python/)
    const python = await importLegacy([codeDir, '--python', PEER_PY])
    expect(python.status).toBe(0)
    const host = execFileSync(
      PEER_PY,
      ['-c', "import socket; print(socket.gethostname().split('.')[0])"],
      { encoding: 'utf8' },
    ).trim()
    expect(
      (JSON.parse(python.stdout) as { config: { endpoints: object } }).config.endpoints,
    ).toMatchObject({
      bodhi: expect.arrayContaining([`tcp://${host}:3000`]) as unknown,
    })
  })
})

describe('reading a Python literal without Python', () => {
  const SOURCES = [
    `config = {'a': 'x' "y" r'\\n', "b": [1, -2.5, 1e3, 0x1F, 0o17, 1_000], 'c': (True, False, None,), 'd': {}}`,
    `config = dict(s='\\t\\u00e9\\x41\\101\\\\', t="""two\nlines""", n=dict(m=[(1, 2)],),)`,
    `import os\nname = "dev"\nother = os.getcwd()\nconfig = dict(environment=name, nested={"k": [name]})`,
  ]
  it.each(SOURCES)('reads %j as Python’s ast.literal_eval does', (source) => {
    const python = execFileSync(
      PEER_PY,
      [
        '-c',
        'import json, sys; scope = {}; exec(sys.stdin.read(), scope); print(json.dumps(scope["config"]))',
      ],
      { input: source, encoding: 'utf8' },
    )
    expect(readPythonConfigLiteral(source, 'x.py')).toEqual(JSON.parse(python))
  })

  it.each([
    ['config["x"] = 1', /config is changed by code/],
    ['config = dict(a=f"{x}")', /f-strings/],
    ['if True:\n    config = {}', /depend on code/],
    ['config = {"a": os.getcwd()}', /not a literal/],
    ['x = 1', /no config dict/],
  ])('refuses %j', (source, message) => {
    expect(() => readPythonConfigLiteral(source, 'x.py')).toThrow(message)
  })
})
