/**
 * fedmsg check URL -> GET URL/healthz, URL/metrics of a real `fedmsg relay` / `fedmsg hub` -> one line, exit 0/1/2/3
 * fedmsg logger (allowed; then denied by the routing policy) -> relay: the rejection rate the check judges.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { evaluateHealth } from '../../src/consumers/check/evaluate-health.js'
import { makeCliBus, type CliBus } from '../cli/cli-bus.js'
import { assertBuilt, REPO, runCli, startCli, type CliProcess } from '../cli/cli-process.js'
import { freePort } from '../fixtures/free-port.js'

let bus: CliBus
const cleanups: (() => unknown)[] = []
const start = (args: readonly string[]) => {
  const child = startCli(args, { cwd: bus.dir })
  cleanups.push(() => child.kill())
  return child
}
const started = (child: CliProcess, what: string) =>
  child.line('stderr', (line) => line.includes(`"${what} started"`))
const check = (args: readonly string[]) => runCli(['check', ...args], { cwd: bus.dir })
const tcp = async () => `tcp://127.0.0.1:${await freePort()}`

/** A local HTTP server answering with `handler`; closed after the test. */
async function httpServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(() => {
  for (const command of ['relay', 'hub', 'logger', 'check']) assertBuilt(command)
  bus = makeCliBus(['logger', 'bodhi'])
  writeFileSync(
    join(bus.dir, 'policy.json'),
    JSON.stringify({
      default: 'deny',
      rules: [{ topic: 'org.fedoraproject.*.logger.>', allow: ['logger'] }],
    }),
  )
})
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})
afterAll(() => bus.cleanup())

const HUB = (over: Record<string, number> = {}) => {
  const v = { received: 100, rejected: 0, silent: 0, dropped: 0, ...over }
  return [
    `fedmsg_hub_messages_received_total ${v.received}`,
    `fedmsg_hub_messages_rejected_total{reason="bad_signature"} ${v.rejected}`,
    `fedmsg_hub_messages_rejected_total{reason="replay"} 0`,
    `fedmsg_hub_silent_publishers ${v.silent}`,
    `fedmsg_hub_consumer_dropped_total{consumer="a"} ${v.dropped}`,
    `fedmsg_hub_consumer_dropped_total{consumer="b"} 0`,
  ].join('\n')
}

describe('evaluateHealth: thresholds (Nagios: a value at or above a threshold gives its state)', () => {
  it.each([
    { name: 'a quiet healthy hub', metrics: HUB(), thresholds: {}, state: 'OK' },
    {
      name: '1 % rejected (default warning)',
      metrics: HUB({ rejected: 1 }),
      thresholds: {},
      state: 'WARNING',
    },
    {
      name: '10 % rejected (default critical)',
      metrics: HUB({ rejected: 10 }),
      thresholds: {},
      state: 'CRITICAL',
    },
    { name: 'a silent publisher', metrics: HUB({ silent: 1 }), thresholds: {}, state: 'WARNING' },
    {
      name: 'silent publishers past --silent-critical',
      metrics: HUB({ silent: 3 }),
      thresholds: { silentCritical: 3 },
      state: 'CRITICAL',
    },
    {
      name: 'consumer drops summed over consumers',
      metrics: HUB({ dropped: 5 }),
      thresholds: { dropsCritical: 5 },
      state: 'CRITICAL',
    },
    {
      name: 'drops under a raised warning',
      metrics: HUB({ dropped: 5 }),
      thresholds: { dropsWarning: 6 },
      state: 'OK',
    },
    {
      name: 'trigger drops count as drops',
      metrics: `${HUB()}\nfedmsg_trigger_messages_dropped_total 2`,
      thresholds: {},
      state: 'WARNING',
    },
    {
      name: 'no messages yet: 0 % rejected',
      metrics: HUB({ received: 0 }),
      thresholds: {},
      state: 'OK',
    },
    { name: 'a page without fedmsg counters', metrics: 'up 1\n', thresholds: {}, state: 'UNKNOWN' },
  ] as const)('$name → $state', ({ metrics, thresholds, state }) => {
    expect(evaluateHealth({ healthz: 200, metrics }, thresholds).state).toBe(state)
  })

  it('/healthz 503 (draining) is CRITICAL whatever the metrics say', () => {
    expect(evaluateHealth({ healthz: 503, metrics: HUB() }, {})).toEqual({
      state: 'CRITICAL',
      line: 'FEDMSG CRITICAL - /healthz answered 503 (stopping or unwell)',
    })
  })

  it('one line with Nagios perfdata', () => {
    expect(
      evaluateHealth({ healthz: 200, metrics: HUB({ rejected: 2, dropped: 1 }) }, {}).line,
    ).toBe(
      'FEDMSG WARNING - hub: 100 received, 2.00% rejected, 0 silent publishers, 1 dropped' +
        ' | reject_pct=2;1;10 silent=0;1; drops=1;1;',
    )
  })
})

describe('fedmsg check against running components', () => {
  it('a real relay: OK, then the rejection rate past each threshold gives WARNING and CRITICAL', async () => {
    const [inbound, outbound] = [await tcp(), await tcp()]
    const address = `127.0.0.1:${await freePort()}`
    const file = bus.writeConfig('relay', {
      relay_inbound: inbound,
      relay_outbound: outbound,
      metrics_address: address,
      routing_policy: 'policy.json',
    })
    const relay = start(['relay', '--config', file])
    await started(relay, 'relay')
    const log = (cert: string) =>
      runCli(['logger', '--config', file, '--topic', 't', '--message', 'm', '--cert-name', cert], {
        cwd: bus.dir,
      })
    // A logger run sends its message and then its goodbye heartbeat: two received.
    expect((await log('logger')).code).toBe(0)
    const ok = await check([`http://${address}`])
    expect(ok).toMatchObject({ code: 0 })
    expect(ok.stdout).toMatch(
      /^FEDMSG OK - relay: 2 received, 0\.00% rejected \| reject_pct=0;1;10$/,
    )
    // policy_denied at the relay; a publisher whose last send failed says no goodbye.
    expect((await log('bodhi')).code).toBe(1)
    const critical = await check([`http://${address}`])
    expect(critical).toMatchObject({ code: 2 })
    expect(critical.stdout).toContain('FEDMSG CRITICAL - relay: 3 received, 33.33% rejected')
    // docs/check.md's command line, on this relay's address.
    const doc = readFileSync(join(REPO, 'docs/check.md'), 'utf8')
    const line = /<!-- example: check-command-line -->\n\n```sh\n(.*)\n```/.exec(doc)![1]!
    const words = line.replace('http://127.0.0.1:9464', `http://${address}`).split(' ')
    expect(words.slice(0, 2)).toEqual(['fedmsg', 'check'])
    const warning = await check(words.slice(2))
    expect(warning).toMatchObject({ code: 1 })
    expect(warning.stdout).toMatch(/^FEDMSG WARNING - relay: /)
  })

  it('a real hub: OK with its consumer and publisher counters', async () => {
    const address = `127.0.0.1:${await freePort()}`
    const file = bus.writeConfig('hub', { relay_outbound: await tcp(), metrics_address: address })
    const hub = start(['hub', '--config', file])
    await started(hub, 'hub')
    const run = await check([`http://${address}`])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /^FEDMSG OK - hub: \d+ received, 0\.00% rejected, 0 silent publishers, 0 dropped \| /,
    )
  })

  it('nothing listening: CRITICAL (2)', async () => {
    const run = await check([`http://127.0.0.1:${await freePort()}`])
    expect(run.code).toBe(2)
    expect(run.stdout).toMatch(
      /^FEDMSG CRITICAL - http:\/\/127\.0\.0\.1:\d+\/ unreachable: .*ECONNREFUSED/,
    )
  })

  it('a server that never answers: CRITICAL (2) at --timeout', async () => {
    const url = await httpServer(() => undefined)
    const run = await check([url, '--timeout', '1'])
    expect(run.code).toBe(2)
    expect(run.stdout).toContain('unreachable: no answer within 1000 ms')
  })

  it('a server that is not a fedmsg component: UNKNOWN (3)', async () => {
    const url = await httpServer((_, response) => response.end('hello\n'))
    const run = await check([url])
    expect(run.code).toBe(3)
    expect(run.stdout).toBe('FEDMSG UNKNOWN - /metrics has no fedmsg hub or relay counters')
  })

  it('a URL that is not http(s) is a usage error naming what to give', async () => {
    const run = await check(['ftp://127.0.0.1:9464'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('[ERR_FEDMSG_USAGE]')
  })
})
